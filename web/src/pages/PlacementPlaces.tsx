// Places: capacity per kind of group and the register with every group's availability, who reported it and
// when (stale figures marked); and, for a provider, the form to report its groups' availability in one action.
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Me, type PlacementCapacity, type PlacementGroup, type PlacementGroups, type PlacementVocabulary } from '../api.ts';
import { formatCount } from '../format.ts';
import { Chart, PALETTE } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FilterBox } from '../components/Filter.tsx';
import { ErrorAlert, LightBadge, Section, StaleBadge, label, timeAgo } from './PlacementShared.tsx';

/** Rows shown before 'toon alle': a region has hundreds of groups; filters narrow them. */
const PAGE = 100;
const ages = (g: PlacementGroup) => (g.ageMin === null && g.ageMax === null ? 'alle' : `${g.ageMin ?? 0}–${g.ageMax ?? '…'} jaar`);

export function PlacesTab({ regionId, me, v, changed }: { regionId: string; me: Me; v: PlacementVocabulary; changed: Set<number> }) {
  const [type, setType] = useState('');
  const [age, setAge] = useState('');
  const [need, setNeed] = useState('');
  const [freeOnly, setFreeOnly] = useState(false);
  const [text, setText] = useState('');
  const [showAll, setShowAll] = useState(false);
  const query = new URLSearchParams({
    ...(type && { type }),
    ...(age && { age }),
    ...(need && { expertise: need }),
    ...(freeOnly && { free: 'true' }),
    ...(text && { q: text }),
  }).toString();
  const groups = useQuery({
    queryKey: ['placement', regionId, 'groups', query],
    queryFn: () => api<PlacementGroups>(`/api/regions/${regionId}/placement/groups?${query}`),
    staleTime: 0,
    placeholderData: (prev) => prev,
  });
  const capacity = useQuery({
    queryKey: ['placement', regionId, 'capacity'],
    queryFn: () => api<{ byType: PlacementCapacity[] }>(`/api/regions/${regionId}/placement/capacity`),
    staleTime: 0,
  });
  const stale = groups.data?.settings.staleAfterHours;
  const totals = (capacity.data?.byType ?? []).reduce(
    (t, c) => ({
      groups: t.groups + c.groups,
      free: t.free + c.free,
      open: t.open + c.open,
      limited: t.limited + c.limited,
      closed: t.closed + c.closed,
      stale: t.stale + c.stale,
      waiting: t.waiting + (c.waitingNow ?? 0),
    }),
    { groups: 0, free: 0, open: 0, limited: 0, closed: 0, stale: 0, waiting: 0 },
  );

  return (
    <>
      <ErrorAlert error={groups.error ?? capacity.error} />
      {capacity.data && (
        <>
          <dl className="rk-kpis" aria-label="Plekken nu">
            <div className="rk-kpi">
              <dt>Groepen</dt>
              <dd>{formatCount(totals.groups)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Vrije bemenste plekken</dt>
              <dd data-testid="kpi-vrij">{formatCount(totals.free)}</dd>
            </div>
            <div className="rk-kpi">
              <dt>Open · beperkt · dicht</dt>
              <dd>
                {totals.open} · {totals.limited} · {totals.closed}
              </dd>
            </div>
            <div className="rk-kpi">
              <dt>Cijfers verouderd (ouder dan {stale ?? '…'} uur)</dt>
              <dd>{formatCount(totals.stale)}</dd>
            </div>
            {me.role !== 'aanbieder' && (
              <div className="rk-kpi">
                <dt>Wachtende aanvragen</dt>
                <dd>{formatCount(totals.waiting)}</dd>
              </div>
            )}
          </dl>
          <CapacityView rows={capacity.data.byType} showWaiting={me.role !== 'aanbieder'} />
        </>
      )}

      <Section id="register" title={me.role === 'aanbieder' ? 'Mijn groepen' : 'Alle groepen en hun beschikbaarheid'}>
        <p className="utrecht-paragraph rk-muted">
          Vrij = bemenst − bezet − gereserveerd: een leeg bed zonder personeel is geen beschikbaar bed. Een reservering houdt een plek vast tot ze verloopt.
        </p>
        <div className="rk-filters">
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="plek-type">
              Zorgvorm
            </label>
            <select id="plek-type" className="utrecht-select utrecht-select--html-select" value={type} onChange={(e) => setType(e.target.value)}>
              <option value="">Alle zorgvormen</option>
              {v.groupTypes.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="plek-leeftijd">
              Leeftijd
            </label>
            <input
              id="plek-leeftijd"
              type="number"
              min={0}
              max={27}
              className="utrecht-textbox utrecht-textbox--html-input"
              style={{ width: '6rem' }}
              value={age}
              onChange={(e) => setAge(e.target.value)}
            />
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="plek-expertise">
              Expertise of doelgroep
            </label>
            <select id="plek-expertise" className="utrecht-select utrecht-select--html-select" value={need} onChange={(e) => setNeed(e.target.value)}>
              <option value="">Geen voorkeur</option>
              {[...v.expertise, ...v.targetGroups].map((t) => (
                <option key={t.code} value={t.code}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <FilterBox id="plek-zoek" label="Zoeken op groep, locatie of aanbieder" value={text} onChange={setText} />
          <div
            className="utrecht-form-field utrecht-form-field--checkbox"
            style={{ alignSelf: 'flex-end', display: 'flex', gap: '0.4rem', alignItems: 'center' }}
          >
            <input
              id="plek-vrij"
              type="checkbox"
              className="utrecht-checkbox utrecht-checkbox--html-input"
              checked={freeOnly}
              onChange={(e) => setFreeOnly(e.target.checked)}
            />
            <label className="utrecht-form-label" htmlFor="plek-vrij">
              Alleen met vrije plek
            </label>
          </div>
        </div>
        {groups.isPending && (
          <p className="utrecht-paragraph" role="status">
            Groepen laden …
          </p>
        )}
        {groups.data && (
          <>
            <GroupTable
              rows={showAll ? groups.data.groups : groups.data.groups.slice(0, PAGE)}
              v={v}
              changed={changed}
              caption={`${formatCount(groups.data.total)} groepen${groups.data.total > PAGE && !showAll ? `, de eerste ${PAGE} getoond (meeste vrije plekken eerst per zorgvorm)` : ''}`}
            />
            {groups.data.groups.length > PAGE && !showAll && (
              <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => setShowAll(true)}>
                Toon alle {formatCount(groups.data.groups.length)} groepen
              </button>
            )}
          </>
        )}
      </Section>
    </>
  );
}

function CapacityView({ rows, showWaiting }: { rows: PlacementCapacity[]; showWaiting: boolean }) {
  const option = useMemo(
    () => ({
      grid: { left: 170, right: 30, top: 40, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.typeLabel) },
      series: [
        { type: 'bar', name: 'Bezet', stack: 'p', itemStyle: { color: PALETTE[0] }, data: rows.map((r) => r.occupied) },
        { type: 'bar', name: 'Gereserveerd', stack: 'p', itemStyle: { color: PALETTE[7] }, data: rows.map((r) => r.reserved) },
        { type: 'bar', name: 'Vrij', stack: 'p', itemStyle: { color: PALETTE[2] }, data: rows.map((r) => r.free) },
        { type: 'bar', name: 'Niet bemenst', stack: 'p', itemStyle: { color: '#adb5bd' }, data: rows.map((r) => r.physical - r.staffed) },
        ...(showWaiting ? [{ type: 'bar', name: 'Wachtend', itemStyle: { color: PALETTE[4] }, data: rows.map((r) => r.waitingNow ?? 0) }] : []),
      ],
    }),
    [rows, showWaiting],
  );
  const columns: Column<PlacementCapacity>[] = [
    { key: 'type', header: 'Zorgvorm', value: (r) => r.typeLabel },
    { key: 'groups', header: 'Groepen', numeric: true, value: (r) => r.groups },
    { key: 'physical', header: 'Fysiek', numeric: true, value: (r) => r.physical },
    { key: 'contracted', header: 'Gecontracteerd', numeric: true, value: (r) => r.contracted },
    { key: 'staffed', header: 'Bemenst', numeric: true, value: (r) => r.staffed },
    { key: 'occupied', header: 'Bezet', numeric: true, value: (r) => r.occupied },
    { key: 'reserved', header: 'Gereserveerd', numeric: true, value: (r) => r.reserved },
    { key: 'free', header: 'Vrij', numeric: true, value: (r) => r.free },
    ...(showWaiting ? [{ key: 'waiting', header: 'Wachtend', numeric: true, value: (r: PlacementCapacity) => r.waitingNow ?? 0 }] : []),
    { key: 'lights', header: 'Open · beperkt · dicht', value: (r) => r.open, render: (r) => `${r.open} · ${r.limited} · ${r.closed}` },
    { key: 'stale', header: 'Verouderd', numeric: true, value: (r) => r.stale },
  ];
  return (
    <Section id="capaciteit" title="Plekken per zorgvorm">
      <Chart
        option={option}
        height={70 + 34 * rows.length}
        testId="grafiek-capaciteit"
        label={`Gestapeld staafdiagram van de plekken per zorgvorm: bezet, gereserveerd, vrij en niet bemenst${showWaiting ? ', met het aantal wachtende aanvragen' : ''}; de tabel eronder heeft dezelfde cijfers`}
      />
      <DataTable
        rows={rows}
        columns={columns}
        rowKey={(r) => r.groupType}
        testId="tabel-capaciteit"
        caption="Plekken per zorgvorm: fysiek ⊇ bemenst = bezet + gereserveerd + vrij"
      />
    </Section>
  );
}

function GroupTable({ rows, v, changed, caption }: { rows: PlacementGroup[]; v: PlacementVocabulary; changed: Set<number>; caption: string }) {
  const columns: Column<PlacementGroup>[] = [
    { key: 'name', header: 'Groep', value: (g) => g.name },
    {
      key: 'provider',
      header: 'Aanbieder en locatie',
      value: (g) => g.providerName,
      render: (g) => (
        <>
          {g.providerName}
          <br />
          <span className="rk-muted">
            {g.location.name}, {g.location.municipality.name}
          </span>
        </>
      ),
    },
    {
      key: 'type',
      header: 'Zorgvorm',
      value: (g) => g.typeLabel,
      render: (g) => (
        <>
          {g.typeLabel}
          {g.intensity && (
            <>
              <br />
              <span className="rk-muted">intensiteit {g.intensity.band}</span>
            </>
          )}
        </>
      ),
    },
    {
      key: 'age',
      header: 'Leeftijd',
      value: (g) => g.ageMin,
      render: (g) => (
        <>
          {ages(g)}
          {g.gender !== 'gemengd' && (
            <>
              <br />
              <span className="rk-muted">{g.gender}</span>
            </>
          )}
        </>
      ),
    },
    {
      key: 'profile',
      header: 'Expertise en doelgroep',
      value: (g) => g.expertise.length + g.targetGroups.length,
      render: (g) => [...g.expertise.map((c) => label(v.expertise, c)), ...g.targetGroups.map((c) => label(v.targetGroups, c))].join(', ') || '–',
    },
    {
      key: 'free',
      header: 'Vrij',
      numeric: true,
      value: (g) => g.places.free,
      render: (g) => <strong data-testid={`vrij-${g.groupId}`}>{g.places.free}</strong>,
    },
    { key: 'staffed', header: 'Bemenst / fysiek', numeric: true, value: (g) => g.places.staffed, render: (g) => `${g.places.staffed} / ${g.places.physical}` },
    { key: 'occupied', header: 'Bezet', numeric: true, value: (g) => g.places.occupied },
    { key: 'reserved', header: 'Gereserveerd', numeric: true, value: (g) => g.places.reserved },
    {
      key: 'light',
      header: 'Stoplicht',
      value: (g) => ['open', 'limited', 'closed'].indexOf(g.light),
      render: (g) => (
        <>
          {<LightBadge light={g.light} v={v} />}
          {!g.intakeOpen && (
            <>
              <br />
              <span className="rk-muted">opnamestop</span>
            </>
          )}
        </>
      ),
    },
    {
      key: 'updated',
      header: 'Bijgewerkt',
      value: (g) => g.updatedAt ?? '',
      render: (g) => (
        <span data-testid={`bijgewerkt-${g.groupId}`}>
          {timeAgo(g.updatedAt)}
          {g.updatedBy && <> door {g.updatedBy}</>}
          {g.stale && (
            <>
              {' '}
              <StaleBadge />
            </>
          )}
          {changed.has(g.groupId) && (
            <>
              {' '}
              <span className="rk-muted">(live gewijzigd)</span>
            </>
          )}
          {g.note && (
            <>
              <br />
              <span className="rk-muted">{g.note}</span>
            </>
          )}
        </span>
      ),
    },
  ];
  return <DataTable rows={rows} columns={columns} rowKey={(g) => g.groupId} testId="tabel-plekken" caption={caption} />;
}

// --- provider: report availability -----------------------------------------------------------------

/** An edited row keeps the version it was based on: if the group changed since, the save is refused (409), not silently merged. */
interface Draft {
  staffed: string;
  occupied: string;
  intakeOpen: boolean;
  note: string;
  version: number;
}

export function AvailabilityForm({ regionId, v }: { regionId: string; me: Me; v: PlacementVocabulary }) {
  const queryClient = useQueryClient();
  const groups = useQuery({
    queryKey: ['placement', regionId, 'groups', 'own'],
    queryFn: () => api<PlacementGroups>(`/api/regions/${regionId}/placement/groups`),
    staleTime: 0,
  });
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [result, setResult] = useState<{ ok: boolean; text: string; conflict?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const list = groups.data?.groups ?? [];
  const draftOf = (g: PlacementGroup): Draft =>
    drafts[g.groupId] ?? { staffed: String(g.places.staffed), occupied: String(g.places.occupied), intakeOpen: g.intakeOpen, note: g.note, version: g.version };
  const set = (g: PlacementGroup, patch: Partial<Draft>) => setDrafts((d) => ({ ...d, [g.groupId]: { ...draftOf(g), ...patch } }));
  const isChanged = (g: PlacementGroup) => {
    const d = draftOf(g);
    return Number(d.staffed) !== g.places.staffed || Number(d.occupied) !== g.places.occupied || d.intakeOpen !== g.intakeOpen || d.note !== g.note;
  };

  const save = async (all: boolean) => {
    const chosen = list.filter((g) => all || isChanged(g));
    if (!chosen.length) {
      setResult({ ok: true, text: 'Niets gewijzigd: er is niets verstuurd.' });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      const res = await api<{ updated: PlacementGroup[] }>(`/api/regions/${regionId}/placement/availability`, {
        method: 'PUT',
        json: {
          updates: chosen.map((g) => {
            const d = draftOf(g);
            return { groupId: g.groupId, version: d.version, staffed: Number(d.staffed), occupied: Number(d.occupied), intakeOpen: d.intakeOpen, note: d.note };
          }),
        },
      });
      setDrafts({});
      setResult({
        ok: true,
        text: `Opgeslagen: ${res.updated.length} ${res.updated.length === 1 ? 'groep' : 'groepen'} (${all ? 'alle cijfers bevestigd' : 'wijzigingen'}). Het coördinatiepunt ziet het direct.`,
      });
      await queryClient.invalidateQueries({ queryKey: ['placement', regionId] });
    } catch (e) {
      const conflict = e instanceof ApiError && e.status === 409;
      setResult({ ok: false, text: (e as Error).message, conflict });
    } finally {
      setBusy(false);
    }
  };

  const n = list.filter(isChanged).length;
  return (
    <Section id="doorgeven" title="Beschikbaarheid doorgeven">
      <p className="utrecht-paragraph">
        Geef per groep door hoeveel plekken bemenst zijn (er is personeel voor) en hoeveel bezet. Alles wordt in één keer opgeslagen, met uw naam en het
        tijdstip. Cijfers ouder dan {groups.data?.settings.staleAfterHours ?? '…'} uur zijn voor iedereen zichtbaar verouderd: bevestig ze ook als er niets
        veranderde.
      </p>
      <ErrorAlert error={groups.error} />
      {result && (
        <div className={`utrecht-alert utrecht-alert--${result.ok ? 'ok' : 'error'}`} role={result.ok ? 'status' : 'alert'} data-testid="doorgeven-resultaat">
          <p className="utrecht-paragraph">{result.text}</p>
          {result.conflict && (
            <button
              type="button"
              className="utrecht-button utrecht-button--secondary-action"
              onClick={() => {
                setDrafts({});
                setResult(null);
                groups.refetch();
              }}
            >
              Nieuwste cijfers laden
            </button>
          )}
        </div>
      )}
      {groups.isPending && (
        <p className="utrecht-paragraph" role="status">
          Uw groepen laden …
        </p>
      )}
      {groups.data && !list.length && <p className="utrecht-paragraph">Er staan geen groepen van u in het register van deze regio.</p>}
      {list.length > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save(false);
          }}
        >
          <div className="rk-table-scroll">
            <table className="utrecht-table utrecht-table--alternate-row-color" data-testid="tabel-doorgeven">
              <caption className="utrecht-table__caption">Uw {list.length} groepen; gewijzigde rijen worden opgeslagen</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {['Groep', 'Fysiek', 'Bemenst', 'Bezet', 'Gereserveerd', 'Vrij', 'Opname open', 'Toelichting', 'Laatst doorgegeven'].map((h) => (
                    <th key={h} scope="col" className="utrecht-table__header-cell">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {list.map((g) => {
                  const d = draftOf(g);
                  const free = Math.max(0, Number(d.staffed) - Number(d.occupied) - g.places.reserved);
                  const id = `g${g.groupId}`;
                  return (
                    <tr
                      key={g.groupId}
                      className="utrecht-table__row"
                      data-testid={`doorgeven-${g.groupId}`}
                      style={isChanged(g) ? { outline: '2px solid #1b4f9c' } : undefined}
                    >
                      <th scope="row" className="utrecht-table__cell">
                        {g.name}
                        <br />
                        <span className="rk-muted">
                          {g.typeLabel} · {g.location.name}
                        </span>
                      </th>
                      <td className="utrecht-table__cell utrecht-table__cell--numeric">{g.places.physical}</td>
                      <td className="utrecht-table__cell">
                        <label className="rk-visually-hidden" htmlFor={`${id}-bemenst`}>
                          Bemenst, {g.name}
                        </label>
                        <input
                          id={`${id}-bemenst`}
                          type="number"
                          min={0}
                          max={g.places.physical}
                          required
                          className="utrecht-textbox utrecht-textbox--html-input"
                          style={{ width: '5rem' }}
                          value={d.staffed}
                          onChange={(e) => set(g, { staffed: e.target.value })}
                        />
                      </td>
                      <td className="utrecht-table__cell">
                        <label className="rk-visually-hidden" htmlFor={`${id}-bezet`}>
                          Bezet, {g.name}
                        </label>
                        <input
                          id={`${id}-bezet`}
                          type="number"
                          min={0}
                          max={g.places.physical}
                          required
                          className="utrecht-textbox utrecht-textbox--html-input"
                          style={{ width: '5rem' }}
                          value={d.occupied}
                          onChange={(e) => set(g, { occupied: e.target.value })}
                        />
                      </td>
                      <td className="utrecht-table__cell utrecht-table__cell--numeric">{g.places.reserved}</td>
                      <td className="utrecht-table__cell utrecht-table__cell--numeric">
                        <strong>{free}</strong>
                      </td>
                      <td className="utrecht-table__cell">
                        <input
                          id={`${id}-open`}
                          type="checkbox"
                          className="utrecht-checkbox utrecht-checkbox--html-input"
                          checked={d.intakeOpen}
                          onChange={(e) => set(g, { intakeOpen: e.target.checked })}
                        />
                        <label className="rk-visually-hidden" htmlFor={`${id}-open`}>
                          Opname open, {g.name}
                        </label>
                      </td>
                      <td className="utrecht-table__cell">
                        <label className="rk-visually-hidden" htmlFor={`${id}-toelichting`}>
                          Toelichting, {g.name}
                        </label>
                        <input
                          id={`${id}-toelichting`}
                          type="text"
                          maxLength={200}
                          className="utrecht-textbox utrecht-textbox--html-input"
                          value={d.note}
                          onChange={(e) => set(g, { note: e.target.value })}
                        />
                      </td>
                      <td className="utrecht-table__cell">
                        {timeAgo(g.updatedAt)}
                        {g.updatedBy && <> door {g.updatedBy}</>} {g.stale && <StaleBadge />} <LightBadge light={g.light} v={v} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="utrecht-button-group" style={{ display: 'flex', gap: '1rem', marginTop: '1rem', flexWrap: 'wrap' }}>
            <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>
              Wijzigingen opslaan{n ? ` (${n})` : ''}
            </button>
            <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={busy} onClick={() => save(true)}>
              Alle cijfers bevestigen
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}
