// Registrations (aanmeldingen): the list within the caller's scope (a provider: only what is offered to it),
// one request's dated steps and the actions its role may take, the coordinator's ranked proposals with their
// reasons, and the one registration form per youth.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  api,
  ApiError,
  type Me,
  type PlacementProposals,
  type PlacementRequest,
  type PlacementRequestHistory,
  type PlacementVocabulary,
  type RequestStatus,
} from '../api.ts';
import { formatCount, formatDate } from '../format.ts';
import { useSearchParam } from '../router.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ErrorAlert, Section, badge, label, todayIso, useNavigateTab } from './PlacementShared.tsx';

const URGENCY: Record<string, string> = { spoed: 'Spoed', hoog: 'Hoog', normaal: 'Normaal' };
const ACTIVE: RequestStatus[] = ['aangemeld', 'in_behandeling', 'aangeboden'];

export function RequestsTab({ regionId, me, v }: { regionId: string; me: Me; v: PlacementVocabulary }) {
  const [status, setStatus] = useState(me.role === 'aanbieder' ? 'alle' : 'wachtend');
  const [selectedParam, setSelected] = useSearchParam('aanvraag');
  const requests = useQuery({
    queryKey: ['placement', regionId, 'requests', status],
    queryFn: () => api<PlacementRequest[]>(`/api/regions/${regionId}/placement/requests?status=${status}`),
    staleTime: 0,
    placeholderData: (p) => p,
  });
  const selected = requests.data?.find((r) => r.requestId === Number(selectedParam));
  const types = (r: PlacementRequest) => r.careTypes.map((t) => label(v.groupTypes, t)).join(' of ');
  const columns: Column<PlacementRequest>[] = [
    {
      key: 'who',
      header: 'Jeugdige',
      value: (r) => r.pseudonym,
      render: (r) => (
        <button
          type="button"
          className="utrecht-button utrecht-button--subtle"
          style={{ padding: 0, minHeight: 0, textDecoration: 'underline' }}
          aria-pressed={r.requestId === selected?.requestId}
          onClick={() => setSelected(String(r.requestId))}
        >
          {r.pseudonym}
        </button>
      ),
    },
    { key: 'nr', header: 'Nr.', numeric: true, value: (r) => r.requestId },
    { key: 'age', header: 'Leeftijd', numeric: true, value: (r) => r.ageYears },
    { key: 'muni', header: 'Gemeente', value: (r) => r.municipalityName },
    { key: 'types', header: 'Zorgvorm', value: types },
    { key: 'urgency', header: 'Urgentie', value: (r) => ['spoed', 'hoog', 'normaal'].indexOf(r.urgency), render: (r) => URGENCY[r.urgency] ?? r.urgency },
    {
      key: 'status',
      header: 'Status',
      value: (r) => r.status,
      render: (r) => (
        <>
          {v.statuses[r.status]}
          {r.bridging && (
            <>
              <br />
              <span style={{ ...badge, background: '#e7e0f5', color: '#3b1f6e' }}>overbruggingsplek</span>
            </>
          )}
        </>
      ),
    },
    { key: 'wait', header: 'Wachttijd (dagen)', numeric: true, value: (r) => r.waitingDays, render: (r) => r.waitingDays ?? '–' },
    {
      key: 'where',
      header: 'Plek',
      value: (r) => r.reservation?.groupName ?? r.placedGroup?.name ?? '',
      render: (r) =>
        r.reservation ? (
          <>
            gereserveerd: {r.reservation.groupName} ({r.reservation.providerName}), tot {new Date(r.reservation.expiresAt).toLocaleString('nl-NL')}
          </>
        ) : r.placedGroup ? (
          <>
            {r.placedGroup.name} ({r.placedGroup.providerName})
          </>
        ) : (
          '–'
        ),
    },
  ];
  return (
    <>
      {me.role === 'aanbieder' && (
        <p className="utrecht-paragraph">
          U ziet een aanvraag pas als het coördinatiepunt u een plek heeft aangeboden, en zolang de jeugdige bij u geplaatst is. U ziet het pseudoniem, nooit
          het BSN.
        </p>
      )}
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="aanvraag-status">
            Welke aanvragen
          </label>
          <select id="aanvraag-status" className="utrecht-select utrecht-select--html-select" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="wachtend">Wachtend (aangemeld, in behandeling, aangeboden)</option>
            <option value="geplaatst">Geplaatst</option>
            <option value="afgesloten">Afgesloten (beëindigd, ingetrokken)</option>
            <option value="alle">Alle</option>
          </select>
        </div>
      </div>
      <ErrorAlert error={requests.error} />
      {requests.isPending && (
        <p className="utrecht-paragraph" role="status">
          Aanvragen laden …
        </p>
      )}
      {requests.data && (
        <DataTable
          rows={requests.data}
          columns={columns}
          rowKey={(r) => r.requestId}
          testId="tabel-aanvragen"
          caption={`${formatCount(requests.data.length)} aanvragen; spoed eerst, dan wie het langst wacht. Elke inzage wordt gelogd.`}
        />
      )}
      {selected && <RequestDetail key={selected.requestId} regionId={regionId} me={me} v={v} request={selected} />}
    </>
  );
}

function RequestDetail({ regionId, me, v, request: r }: { regionId: string; me: Me; v: PlacementVocabulary; request: PlacementRequest }) {
  const queryClient = useQueryClient();
  const history = useQuery({
    queryKey: ['placement', regionId, 'youth', r.youthId],
    enabled: r.youthId !== null,
    queryFn: () => api<PlacementRequestHistory[]>(`/api/regions/${regionId}/placement/youths/${r.youthId}/requests`),
  });
  const proposals = useQuery({
    queryKey: ['placement', regionId, 'proposals', r.youthId],
    enabled: me.role === 'coordinator' && ACTIVE.includes(r.status) && r.youthId !== null,
    queryFn: () => api<PlacementProposals>(`/api/regions/${regionId}/placement/youths/${r.youthId}/proposals`),
  });
  const [onDate, setOnDate] = useState(todayIso());
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const act = async (action: string, groupId?: number) => {
    setMessage(null);
    try {
      const res = await api<PlacementRequest>(`/api/regions/${regionId}/placement/requests/transitions`, {
        method: 'POST',
        json: { requestId: r.requestId, action, onDate, groupId, note: note || undefined },
      });
      setMessage({ ok: true, text: `Aanvraag ${res.requestId}: ${v.statuses[res.status]}.` });
      setNote('');
      await queryClient.invalidateQueries({ queryKey: ['placement', regionId] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const actions = v.actions.filter((a) => a.roles.includes(me.role) && a.from.includes(r.status) && a.code !== 'aanbieden');
  const events = history.data?.find((h) => h.requestId === r.requestId)?.events;
  return (
    <Section id="aanvraag" title={`Aanvraag ${r.requestId}: ${r.pseudonym}`}>
      <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '0.3rem 1.5rem' }} data-testid="aanvraag-detail">
        <dt>Status</dt>
        <dd style={{ margin: 0 }}>
          {v.statuses[r.status]}
          {r.bridging && ' (crisis langer dan 28 dagen: overbruggingsplek)'}
        </dd>
        <dt>Jeugdige</dt>
        <dd style={{ margin: 0 }}>
          {r.pseudonym}, {r.ageYears} jaar, {r.gender === '1' ? 'jongen' : r.gender === '2' ? 'meisje' : 'geslacht onbekend'}, woont in {r.municipalityName}
        </dd>
        <dt>Zorgvorm</dt>
        <dd style={{ margin: 0 }}>{r.careTypes.map((t) => label(v.groupTypes, t)).join(' of ')}</dd>
        <dt>Zorgbehoefte</dt>
        <dd style={{ margin: 0 }}>
          {[...r.expertise.map((c) => label(v.expertise, c)), ...r.targetGroups.map((c) => label(v.targetGroups, c))].join(', ') || 'geen bijzondere'}
        </dd>
        <dt>Urgentie</dt>
        <dd style={{ margin: 0 }}>{URGENCY[r.urgency]}</dd>
        <dt>Randvoorwaarden</dt>
        <dd style={{ margin: 0 }}>
          {[
            r.placesNeeded > 1 && `${r.placesNeeded} plekken (broers en zussen samen)`,
            r.maxDistanceKm && `hoogstens ${r.maxDistanceKm} km van huis`,
            r.keepSchool && 'blijft op de eigen school',
          ]
            .filter(Boolean)
            .join('; ') || 'geen'}
        </dd>
        {r.note && (
          <>
            <dt>Toelichting</dt>
            <dd style={{ margin: 0 }}>{r.note}</dd>
          </>
        )}
        <dt>Aangemeld</dt>
        <dd style={{ margin: 0 }}>
          {formatDate(r.registeredOn)}
          {r.waitingDays !== null && ` · ${r.waitingDays} dagen ${r.placedOn ? 'gewacht' : 'wachtend'}`}
        </dd>
      </dl>
      {message && (
        <div className={`utrecht-alert utrecht-alert--${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          <p className="utrecht-paragraph">{message.text}</p>
        </div>
      )}
      {(actions.length > 0 || proposals.data) && (
        <div className="rk-filters">
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="stap-datum">
              Datum van de stap
            </label>
            <input
              id="stap-datum"
              type="date"
              max={todayIso()}
              className="utrecht-textbox utrecht-textbox--html-input"
              value={onDate}
              onChange={(e) => setOnDate(e.target.value)}
            />
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="stap-toelichting">
              Toelichting (optioneel)
            </label>
            <input
              id="stap-toelichting"
              type="text"
              maxLength={500}
              className="utrecht-textbox utrecht-textbox--html-input"
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          {actions.map((a) => (
            <button
              key={a.code}
              type="button"
              className={`utrecht-button utrecht-button--${a.code === 'intrekken' || a.code === 'afwijzen' ? 'secondary-action' : 'primary-action'}`}
              onClick={() => act(a.code)}
            >
              {a.label}
            </button>
          ))}
        </div>
      )}
      {proposals.data && (
        <ProposalList p={proposals.data} v={v} canOffer={ACTIVE.includes(r.status) && r.status !== 'aangeboden'} onOffer={(g) => act('aanbieden', g)} />
      )}
      <ErrorAlert error={proposals.error ?? history.error} />
      {events && (
        <>
          <h3 className="utrecht-heading-3">Verloop</h3>
          <ol data-testid="aanvraag-verloop">
            {events.map((e, i) => (
              <li key={i}>
                {formatDate(e.onDate)}: {v.statuses[e.toStatus as RequestStatus] ?? e.toStatus}
                {e.groupName && ` (${e.groupName})`}
                {e.by && `, door ${e.by}`}
                {e.note && ` — ${e.note}`}
              </li>
            ))}
          </ol>
        </>
      )}
    </Section>
  );
}

function ProposalList({ p, v, canOffer, onOffer }: { p: PlacementProposals; v: PlacementVocabulary; canOffer: boolean; onOffer: (groupId: number) => void }) {
  const excluded = Object.entries(p.excluded ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${v.exclusions[k] ?? k}`);
  return (
    <>
      <h3 className="utrecht-heading-3">
        Voorstellen ({p.proposals.length} van {p.considered} groepen)
      </h3>
      <p className="utrecht-paragraph rk-muted">
        Gerangschikt op passendheid (expertise en doelgroep), dan voorrang pleegzorg &gt; gezinshuis &gt; specialistisch wonen, betrouwbare cijfers, afstand tot
        huis en vrije plekken. Het coördinatiepunt beslist. Niet voorgesteld: {excluded.join(', ') || 'geen'}.
      </p>
      {p.proposals.length === 0 && (
        <div className="utrecht-alert utrecht-alert--warning" role="status">
          <p className="utrecht-paragraph">Geen passende vrije plek in de regio. Zie hierboven waarom groepen afvallen.</p>
        </div>
      )}
      <ol data-testid="voorstellen" style={{ paddingLeft: '1.25rem' }}>
        {p.proposals.map((x) => (
          <li key={x.groupId} style={{ marginBottom: '0.75rem' }}>
            <strong>{x.name}</strong> — {x.providerName}, {x.locationName} ({x.municipalityName}) · {label(v.groupTypes, x.groupType)}
            <br />
            <em>{x.rankReason}</em>
            <br />
            <span className="rk-muted">{x.reasons.join(' · ')}</span>
            {canOffer && (
              <>
                {' '}
                <button
                  type="button"
                  className="utrecht-button utrecht-button--secondary-action"
                  style={{ marginLeft: '0.5rem' }}
                  onClick={() => onOffer(x.groupId)}
                >
                  Aanbieden en reserveren<span className="rk-visually-hidden"> bij {x.name}</span>
                </button>
              </>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

// --- registration --------------------------------------------------------------------------------

export function RegisterForm({ regionId, me, v }: { regionId: string; me: Me; v: PlacementVocabulary }) {
  const queryClient = useQueryClient();
  const goto = useNavigateTab();
  const [who, setWho] = useState('');
  const [careTypes, setCareTypes] = useState<string[]>([]);
  const [needs, setNeeds] = useState<string[]>([]);
  const [targets, setTargets] = useState<string[]>([]);
  const [urgency, setUrgency] = useState('normaal');
  const [places, setPlaces] = useState('1');
  const [distance, setDistance] = useState('');
  const [keepSchool, setKeepSchool] = useState(false);
  const [note, setNote] = useState('');
  const [registeredOn, setRegisteredOn] = useState(todayIso());
  const [result, setResult] = useState<{ ok: boolean; text: string; existing?: number } | null>(null);
  const toggle = (list: string[], set: (l: string[]) => void, code: string) => set(list.includes(code) ? list.filter((c) => c !== code) : [...list, code]);

  const submit = async () => {
    setResult(null);
    const id = who.trim();
    try {
      const created = await api<PlacementRequest>(`/api/regions/${regionId}/placement/requests`, {
        method: 'POST',
        json: {
          ...(/^\d{9}$/.test(id) ? { bsn: id } : { pseudonym: id }),
          careTypes,
          expertise: needs,
          targetGroups: targets,
          urgency,
          placesNeeded: Number(places),
          maxDistanceKm: distance ? Number(distance) : null,
          keepSchool,
          note,
          registeredOn,
        },
      });
      setResult({ ok: true, text: `Aangemeld: aanvraag ${created.requestId} voor ${created.pseudonym}.` });
      setWho('');
      setCareTypes([]);
      setNeeds([]);
      setTargets([]);
      setNote('');
      await queryClient.invalidateQueries({ queryKey: ['placement', regionId] });
    } catch (e) {
      const existing = e instanceof ApiError && e.status === 409 ? Number(/nr\. (\d+)/.exec(e.message)?.[1]) : undefined;
      setResult({ ok: false, text: (e as Error).message, existing });
    }
  };
  const checkboxes = (name: string, options: { code: string; label: string }[], list: string[], set: (l: string[]) => void) => (
    <fieldset className="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset" style={{ border: 0, padding: 0, margin: '0 0 1rem' }}>
      <legend className="utrecht-form-label" style={{ fontWeight: 700 }}>
        {name}
      </legend>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem 1.25rem' }}>
        {options.map((o) => (
          <span key={o.code} style={{ display: 'inline-flex', gap: '0.35rem', alignItems: 'center' }}>
            <input
              id={`aanmeld-${o.code}`}
              type="checkbox"
              className="utrecht-checkbox utrecht-checkbox--html-input"
              checked={list.includes(o.code)}
              onChange={() => toggle(list, set, o.code)}
            />
            <label htmlFor={`aanmeld-${o.code}`}>
              {o.label}
              {list.includes(o.code) && name.startsWith('Zorgvorm') ? ` (${list.indexOf(o.code) + 1})` : ''}
            </label>
          </span>
        ))}
      </div>
    </fieldset>
  );
  return (
    <Section id="aanmelden" title="Aanmelden: één formulier per jeugdige">
      <p className="utrecht-paragraph">
        Eén jeugdige heeft één actieve aanvraag, die alle aanbieders gebruiken: wie al is aangemeld, wordt niet opnieuw aangemeld.
        {me.role === 'gemeente' && ' U meldt inwoners van uw gemeente aan.'} Het BSN wordt alleen gebruikt om de jeugdige te vinden en nergens getoond.
      </p>
      {result && (
        <div className={`utrecht-alert utrecht-alert--${result.ok ? 'ok' : 'error'}`} role={result.ok ? 'status' : 'alert'} data-testid="aanmelden-resultaat">
          <p className="utrecht-paragraph">{result.text}</p>
          {result.existing ? (
            <button
              type="button"
              className="utrecht-button utrecht-button--secondary-action"
              onClick={() => goto('aanvragen', { aanvraag: String(result.existing) })}
            >
              Naar aanvraag {result.existing}
            </button>
          ) : null}
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        style={{ maxWidth: '48rem' }}
      >
        <div className="utrecht-form-field" style={{ marginBottom: '1rem' }}>
          <label className="utrecht-form-label" htmlFor="aanmeld-wie" style={{ fontWeight: 700, display: 'block' }}>
            BSN of pseudoniem van de jeugdige
          </label>
          <input
            id="aanmeld-wie"
            required
            className="utrecht-textbox utrecht-textbox--html-input"
            autoComplete="off"
            value={who}
            onChange={(e) => setWho(e.target.value)}
          />
        </div>
        {checkboxes('Zorgvorm (in volgorde van voorkeur; de eerste is waar om gevraagd wordt)', v.groupTypes, careTypes, setCareTypes)}
        {checkboxes('Expertise die nodig is', v.expertise, needs, setNeeds)}
        {checkboxes('Doelgroep', v.targetGroups, targets, setTargets)}
        <div className="rk-filters">
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="aanmeld-urgentie">
              Urgentie
            </label>
            <select id="aanmeld-urgentie" className="utrecht-select utrecht-select--html-select" value={urgency} onChange={(e) => setUrgency(e.target.value)}>
              {Object.entries(URGENCY).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="aanmeld-plekken">
              Plekken nodig
            </label>
            <input
              id="aanmeld-plekken"
              type="number"
              min={1}
              max={6}
              className="utrecht-textbox utrecht-textbox--html-input"
              style={{ width: '5rem' }}
              value={places}
              onChange={(e) => setPlaces(e.target.value)}
            />
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="aanmeld-afstand">
              Hoogstens km van huis
            </label>
            <input
              id="aanmeld-afstand"
              type="number"
              min={1}
              max={400}
              className="utrecht-textbox utrecht-textbox--html-input"
              style={{ width: '6rem' }}
              value={distance}
              onChange={(e) => setDistance(e.target.value)}
            />
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="aanmeld-datum">
              Aangemeld op
            </label>
            <input
              id="aanmeld-datum"
              type="date"
              max={todayIso()}
              className="utrecht-textbox utrecht-textbox--html-input"
              value={registeredOn}
              onChange={(e) => setRegisteredOn(e.target.value)}
            />
          </div>
          <span style={{ display: 'inline-flex', gap: '0.35rem', alignItems: 'center', alignSelf: 'flex-end' }}>
            <input
              id="aanmeld-school"
              type="checkbox"
              className="utrecht-checkbox utrecht-checkbox--html-input"
              checked={keepSchool}
              onChange={(e) => setKeepSchool(e.target.checked)}
            />
            <label htmlFor="aanmeld-school">Blijft op de eigen school</label>
          </span>
        </div>
        <div className="utrecht-form-field" style={{ marginBottom: '1rem' }}>
          <label className="utrecht-form-label" htmlFor="aanmeld-toelichting" style={{ display: 'block' }}>
            Toelichting (geen namen of diagnoses; hoogstens 500 tekens)
          </label>
          <textarea
            id="aanmeld-toelichting"
            maxLength={500}
            rows={3}
            className="utrecht-textarea utrecht-textarea--html-textarea"
            style={{ width: '100%' }}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={!who.trim() || !careTypes.length}>
          Aanmelden
        </button>
      </form>
    </Section>
  );
}
