// One provider of the register: its details, locations with groups, contracts and history, with the forms to create,
// edit and end (the region) or to keep its own trade names, locations and groups (the provider itself).
import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Me, type ProviderDetail, type RegionDetail } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ProviderDossier } from './ProviderDossier.tsx';

const TYPES: [string, string][] = [
  ['overig', 'Overige aanbieder'],
  ['groot', 'Grote aanbieder'],
  ['systeemaanbieder', 'Systeemaanbieder'],
];
const ACTIONS: Record<string, string> = {
  aangemaakt: 'Opgenomen',
  gewijzigd: 'Gewijzigd',
  beeindigd: 'Beëindigd',
  locatie: 'Locatie',
  groep: 'Groep',
  import: 'Import',
};

type Problem = { text: string; fields: { field: string; detail: string }[] } | null;
const toProblem = (e: unknown): Problem => ({ text: e instanceof Error ? e.message : 'Opslaan mislukt', fields: e instanceof ApiError ? e.fields : [] });

function ProblemBox({ problem, ok }: { problem: Problem; ok?: string | null }) {
  if (ok)
    return (
      <div className="utrecht-alert utrecht-alert--ok" role="status">
        <p className="utrecht-paragraph">{ok}</p>
      </div>
    );
  if (!problem) return null;
  return (
    <div className="utrecht-alert utrecht-alert--error" role="alert">
      <p className="utrecht-paragraph">{problem.text}</p>
      {problem.fields.length > 1 && (
        <ul>
          {problem.fields.map((f, i) => (
            <li key={i}>{f.detail}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Field({ id, label, children, hint }: { id: string; label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="utrecht-form-field">
      <label className="utrecht-form-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="utrecht-form-field-description rk-muted" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
    </div>
  );
}
const input = 'utrecht-textbox utrecht-textbox--html-input';

/** A new provider in the region's register. A near-identical name is refused with "bedoelt u …?" unless confirmed. */
export function ProviderCreateForm({ regionId, onCreated }: { regionId: string; onCreated: (id: number) => void }) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<Problem>(null);
  const [similar, setSimilar] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    try {
      const r = await api<{ id: number }>(`/api/regions/${regionId}/providers`, {
        method: 'POST',
        json: {
          name: s('name'),
          agbCode: s('agbCode') || null,
          kvkNumber: s('kvkNumber') || null,
          providerType: s('providerType'),
          tradeNames: s('tradeNames')
            .split(';')
            .map((x) => x.trim())
            .filter(Boolean),
          validFrom: s('validFrom') || undefined,
          force: similar || undefined,
        },
      });
      await queryClient.invalidateQueries({ queryKey: ['providers', regionId] });
      onCreated(r.id);
    } catch (err) {
      setProblem(toProblem(err));
      setSimilar(err instanceof ApiError && err.status === 409 && /bedoelt u/.test(err.message));
    }
  };
  return (
    <form className="rk-card" onSubmit={submit} aria-labelledby="kop-nieuw" noValidate>
      <h2 id="kop-nieuw" className="utrecht-heading-2">
        Nieuwe aanbieder opnemen
      </h2>
      <Field id="nieuw-naam" label="Statutaire naam">
        <input id="nieuw-naam" name="name" className={input} required maxLength={200} />
      </Field>
      <Field id="nieuw-handelsnamen" label="Handelsnamen" hint="Gescheiden door een puntkomma">
        <input id="nieuw-handelsnamen" name="tradeNames" className={input} aria-describedby="nieuw-handelsnamen-hint" />
      </Field>
      <Field id="nieuw-agb" label="AGB-code" hint="8 cijfers">
        <input id="nieuw-agb" name="agbCode" className={input} inputMode="numeric" aria-describedby="nieuw-agb-hint" />
      </Field>
      <Field id="nieuw-kvk" label="KvK-nummer" hint="8 cijfers">
        <input id="nieuw-kvk" name="kvkNumber" className={input} inputMode="numeric" aria-describedby="nieuw-kvk-hint" />
      </Field>
      <Field id="nieuw-soort" label="Soort aanbieder">
        <select id="nieuw-soort" name="providerType" className="utrecht-select">
          {TYPES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </Field>
      <Field id="nieuw-per" label="In het register per">
        <input id="nieuw-per" name="validFrom" type="date" className={input} />
      </Field>
      <ProblemBox problem={problem} />
      <div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action">
          {similar ? 'Toch opslaan als nieuwe aanbieder' : 'Opslaan'}
        </button>
      </div>
    </form>
  );
}

export function ProviderDetailPanel({ regionId, me, providerId, onBack }: { regionId: string; me: Me; providerId: number; onBack: () => void }) {
  const key = ['provider', regionId, providerId];
  const detail = useQuery({ queryKey: key, queryFn: () => api<ProviderDetail>(`/api/regions/${regionId}/providers/${providerId}`) });
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: key });
    await queryClient.invalidateQueries({ queryKey: ['providers', regionId] });
  };
  const isRegion = me.role === 'regio';
  const canEdit = isRegion || (me.role === 'aanbieder' && me.providerId === providerId);
  if (detail.isPending)
    return (
      <p className="utrecht-paragraph" role="status">
        Aanbieder laden …
      </p>
    );
  if (detail.isError)
    return (
      <div className="utrecht-alert utrecht-alert--error" role="alert">
        {detail.error.message}
      </div>
    );
  const p = detail.data;
  return (
    <>
      <p className="utrecht-paragraph">
        <a
          href="?tab=register"
          className="utrecht-link"
          onClick={(e) => {
            e.preventDefault();
            onBack();
          }}
        >
          ← Terug naar het register
        </a>
      </p>
      <h2 className="utrecht-heading-2" data-testid="aanbieder-naam">
        {p.name}
      </h2>
      <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '0.3rem 1.5rem' }} data-testid="aanbieder-gegevens">
        <dt>AGB-code</dt>
        <dd>{p.agbCode ?? '–'}</dd>
        <dt>KvK-nummer</dt>
        <dd>{p.kvkNumber ?? '–'}</dd>
        <dt>Handelsnamen</dt>
        <dd>{p.tradeNames.join('; ') || '–'}</dd>
        <dt>Soort</dt>
        <dd>{TYPES.find(([v]) => v === p.providerType)?.[1] ?? p.providerType}</dd>
        <dt>Hoofdaannemer</dt>
        <dd>{p.mainContractor?.name ?? '– (geen onderaannemer)'}</dd>
        <dt>Onderaannemers</dt>
        <dd>{p.subcontractors.map((s) => s.name).join(', ') || '–'}</dd>
        <dt>In het register</dt>
        <dd data-testid="aanbieder-periode">
          {p.validFrom ?? '?'} – {p.validTo ? `${p.validTo} (${p.ended ? 'beëindigd' : 'eindigt'})` : 'heden'}
        </dd>
      </dl>
      {canEdit && <EditProvider regionId={regionId} p={p} isRegion={isRegion} onSaved={refresh} />}

      <h3 className="utrecht-heading-3">Locaties en groepen</h3>
      {p.locations.length === 0 && <p className="utrecht-paragraph rk-muted">Nog geen locaties.</p>}
      {p.locations.map((l) => (
        <section key={l.id} className="rk-card" aria-label={`Locatie ${l.name}`}>
          <p className="utrecht-paragraph">
            <strong>{l.name}</strong>
            {l.validTo ? ` (beëindigd per ${l.validTo})` : ''}
            <br />
            {[
              l.street && `${l.street} ${l.houseNumber}`.trim(),
              [l.postcode && `${l.postcode.slice(0, 4)} ${l.postcode.slice(4)}`, l.city].filter(Boolean).join(' '),
            ]
              .filter(Boolean)
              .join(', ') || 'geen adres'}{' '}
            · gemeente {l.municipality.name}
          </p>
          {l.groups.length > 0 && (
            <DataTable
              rows={l.groups}
              rowKey={(g) => g.id}
              caption={`Groepen van ${l.name}`}
              columns={[
                { key: 'name', header: 'Groep', value: (g) => g.name },
                { key: 'type', header: 'Soort', value: (g) => g.groupType },
                { key: 'physical', header: 'Fysieke plaatsen', numeric: true, value: (g) => g.placesPhysical },
                { key: 'contracted', header: 'Gecontracteerd', numeric: true, value: (g) => g.placesContracted },
                { key: 'age', header: 'Leeftijd', value: (g) => (g.ageMin !== null || g.ageMax !== null ? `${g.ageMin ?? 0}–${g.ageMax ?? ''}` : '–') },
              ]}
            />
          )}
          {canEdit && <GroupForm regionId={regionId} locationId={l.id} onSaved={refresh} />}
        </section>
      ))}
      {canEdit && <LocationForm regionId={regionId} providerId={p.id} municipalities={region.data?.municipalities ?? []} onSaved={refresh} />}

      <h3 className="utrecht-heading-3">Contracten</h3>
      {p.contracts.length ? (
        <DataTable
          rows={p.contracts}
          rowKey={(c) => c.id}
          caption="Contracten in deze regio"
          columns={[
            { key: 'segment', header: 'Segment', value: (c) => c.segment.name },
            { key: 'funding', header: 'Bekostiging', value: (c) => c.fundingForm },
            { key: 'from', header: 'Van', value: (c) => c.validFrom },
            { key: 'to', header: 'Tot', value: (c) => c.validTo ?? '–' },
            { key: 'status', header: 'Status', value: (c) => c.status },
          ]}
        />
      ) : (
        <p className="utrecht-paragraph rk-muted">Geen contracten in deze regio.</p>
      )}

      {canEdit && <ProviderDossier regionId={regionId} me={me} providerId={p.id} />}

      {isRegion && !p.validTo && <EndProvider regionId={regionId} providerId={p.id} onSaved={refresh} />}

      <h3 className="utrecht-heading-3">Geschiedenis</h3>
      {p.history.length ? (
        <ul data-testid="geschiedenis">
          {p.history.map((h, i) => (
            <li key={i}>
              {new Date(h.at).toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' })} · {ACTIONS[h.action] ?? h.action} door {h.by}
              {Object.keys(h.changes).length > 0 && `: ${Object.keys(h.changes).join(', ')}`}
            </li>
          ))}
        </ul>
      ) : (
        <p className="utrecht-paragraph rk-muted">Nog geen wijzigingen vastgelegd.</p>
      )}
    </>
  );
}

function EditProvider({ regionId, p, isRegion, onSaved }: { regionId: string; p: ProviderDetail; isRegion: boolean; onSaved: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem>(null);
  const [ok, setOk] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const tradeNames = s('tradeNames')
      .split(';')
      .map((x) => x.trim())
      .filter(Boolean);
    const body = isRegion
      ? { name: s('name'), agbCode: s('agbCode') || null, kvkNumber: s('kvkNumber') || null, providerType: s('providerType'), tradeNames }
      : { tradeNames };
    try {
      const r = await api<{ changed: boolean }>(`/api/regions/${regionId}/providers/${p.id}`, { method: 'PATCH', json: body });
      setProblem(null);
      setOk(r.changed ? 'Wijzigingen opgeslagen.' : 'Er was niets gewijzigd.');
      await onSaved();
    } catch (err) {
      setOk(null);
      setProblem(toProblem(err));
    }
  };
  return (
    <details className="rk-card">
      <summary>Gegevens wijzigen</summary>
      <form onSubmit={submit} noValidate aria-label="Gegevens van de aanbieder wijzigen">
        {isRegion && (
          <Field id="wijzig-naam" label="Statutaire naam">
            <input id="wijzig-naam" name="name" className={input} defaultValue={p.name} />
          </Field>
        )}
        <Field id="wijzig-handelsnamen" label="Handelsnamen" hint="Gescheiden door een puntkomma">
          <input
            id="wijzig-handelsnamen"
            name="tradeNames"
            className={input}
            defaultValue={p.tradeNames.join('; ')}
            aria-describedby="wijzig-handelsnamen-hint"
          />
        </Field>
        {isRegion && (
          <>
            <Field id="wijzig-agb" label="AGB-code">
              <input id="wijzig-agb" name="agbCode" className={input} defaultValue={p.agbCode ?? ''} />
            </Field>
            <Field id="wijzig-kvk" label="KvK-nummer">
              <input id="wijzig-kvk" name="kvkNumber" className={input} defaultValue={p.kvkNumber ?? ''} />
            </Field>
            <Field id="wijzig-soort" label="Soort aanbieder">
              <select id="wijzig-soort" name="providerType" className="utrecht-select" defaultValue={p.providerType}>
                {TYPES.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </Field>
          </>
        )}
        <ProblemBox problem={problem} ok={ok} />
        <div>
          <button type="submit" className="utrecht-button utrecht-button--primary-action">
            Wijzigingen opslaan
          </button>
        </div>
      </form>
    </details>
  );
}

function LocationForm({
  regionId,
  providerId,
  municipalities,
  onSaved,
}: {
  regionId: string;
  providerId: number;
  municipalities: { code: string; name: string }[];
  onSaved: () => Promise<void>;
}) {
  const [problem, setProblem] = useState<Problem>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    try {
      await api(`/api/regions/${regionId}/providers/${providerId}/locations`, {
        method: 'POST',
        json: {
          name: s('name'),
          street: s('street'),
          houseNumber: s('houseNumber'),
          postcode: s('postcode') || null,
          city: s('city'),
          municipalityCode: s('municipalityCode'),
        },
      });
      setProblem(null);
      form.reset();
      await onSaved();
    } catch (err) {
      setProblem(toProblem(err));
    }
  };
  return (
    <details className="rk-card">
      <summary>Locatie toevoegen</summary>
      <form onSubmit={submit} noValidate aria-label="Locatie toevoegen">
        <Field id="loc-naam" label="Naam van de locatie">
          <input id="loc-naam" name="name" className={input} />
        </Field>
        <Field id="loc-straat" label="Straat">
          <input id="loc-straat" name="street" className={input} />
        </Field>
        <Field id="loc-nummer" label="Huisnummer">
          <input id="loc-nummer" name="houseNumber" className={input} />
        </Field>
        <Field id="loc-postcode" label="Postcode" hint="Nederlandse postcode, bv. 7511 AB">
          <input id="loc-postcode" name="postcode" className={input} aria-describedby="loc-postcode-hint" />
        </Field>
        <Field id="loc-plaats" label="Plaats">
          <input id="loc-plaats" name="city" className={input} />
        </Field>
        <Field id="loc-gemeente" label="Gemeente">
          <select id="loc-gemeente" name="municipalityCode" className="utrecht-select">
            {municipalities.map((m) => (
              <option key={m.code} value={m.code}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
        <ProblemBox problem={problem} />
        <div>
          <button type="submit" className="utrecht-button utrecht-button--primary-action">
            Locatie opslaan
          </button>
        </div>
      </form>
    </details>
  );
}

function GroupForm({ regionId, locationId, onSaved }: { regionId: string; locationId: number; onSaved: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem>(null);
  const id = `groep-${locationId}`;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const n = (k: string) => (s(k) === '' ? null : Number(s(k)));
    try {
      await api(`/api/regions/${regionId}/provider-groups`, {
        method: 'POST',
        json: {
          locationId,
          name: s('name'),
          groupType: s('groupType'),
          placesPhysical: n('placesPhysical') ?? 0,
          placesContracted: n('placesContracted') ?? 0,
          ageMin: n('ageMin'),
          ageMax: n('ageMax'),
        },
      });
      setProblem(null);
      form.reset();
      await onSaved();
    } catch (err) {
      setProblem(toProblem(err));
    }
  };
  return (
    <details>
      <summary>Groep toevoegen</summary>
      <form onSubmit={submit} noValidate aria-label="Groep toevoegen">
        <Field id={`${id}-naam`} label="Naam van de groep">
          <input id={`${id}-naam`} name="name" className={input} />
        </Field>
        <Field id={`${id}-soort`} label="Soort groep">
          <select id={`${id}-soort`} name="groupType" className="utrecht-select">
            {['gezinshuis', 'pleeggezin', 'behandelgroep', 'specialistisch_wonen', 'crisis', 'logeren'].map((t) => (
              <option key={t} value={t}>
                {t.replace('_', ' ')}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-fysiek`} label="Fysieke plaatsen">
          <input id={`${id}-fysiek`} name="placesPhysical" type="number" min={0} className={input} />
        </Field>
        <Field id={`${id}-contract`} label="Gecontracteerde plaatsen">
          <input id={`${id}-contract`} name="placesContracted" type="number" min={0} className={input} />
        </Field>
        <Field id={`${id}-min`} label="Leeftijd vanaf">
          <input id={`${id}-min`} name="ageMin" type="number" min={0} max={27} className={input} />
        </Field>
        <Field id={`${id}-max`} label="Leeftijd tot en met">
          <input id={`${id}-max`} name="ageMax" type="number" min={0} max={27} className={input} />
        </Field>
        <ProblemBox problem={problem} />
        <div>
          <button type="submit" className="utrecht-button">
            Groep opslaan
          </button>
        </div>
      </form>
    </details>
  );
}

function EndProvider({ regionId, providerId, onSaved }: { regionId: string; providerId: number; onSaved: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api(`/api/regions/${regionId}/providers/${providerId}/end`, {
        method: 'POST',
        json: { validTo: String(f.get('validTo') ?? ''), reason: String(f.get('reason') ?? '') },
      });
      setProblem(null);
      await onSaved();
    } catch (err) {
      setProblem(toProblem(err));
    }
  };
  return (
    <details className="rk-card">
      <summary>Aanbieder beëindigen</summary>
      <form onSubmit={submit} noValidate aria-label="Aanbieder beëindigen">
        <p className="utrecht-paragraph">
          De inschrijving en de lopende contracten in deze regio eindigen per de gekozen datum. De gegevens en de geschiedenis blijven bewaard.
        </p>
        <Field id="eind-datum" label="Beëindigd per">
          <input id="eind-datum" name="validTo" type="date" className={input} />
        </Field>
        <Field id="eind-reden" label="Reden">
          <input id="eind-reden" name="reason" className={input} />
        </Field>
        <ProblemBox problem={problem} />
        <div>
          <button type="submit" className="utrecht-button">
            Beëindigen
          </button>
        </div>
      </form>
    </details>
  );
}
