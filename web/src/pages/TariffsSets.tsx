// Tariefsets en budgeteffect: two scenarios side by side — their tariffs per product, and what they cost on the
// volumes delivered in a year per municipality, segment, product and provider ("rond rekenen"), with an XLSX
// export. The region makes sets from the cost-price model, adopts them and publishes them into the product book.
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  api,
  defaultYear,
  type ApiError,
  type Me,
  type RegionDetail,
  type TariffImpact,
  type TariffImpactRow,
  type TariffOverview,
  type TariffSet,
  type TariffSetDetail,
} from '../api.ts';
import { formatCount, formatDate, formatEuro, formatEuroCents } from '../format.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Chart } from '../components/Chart.tsx';
import { Fieldset, SelectField } from '../components/TariffFields.tsx';

const STATUS: Record<string, string> = { concept: 'concept', vastgesteld: 'vastgesteld', gepubliceerd: 'gepubliceerd' };
const DIMS = [
  { value: 'gemeente', label: 'gemeente' },
  { value: 'segment', label: 'segment' },
  { value: 'product', label: 'product' },
  { value: 'aanbieder', label: 'aanbieder' },
] as const;
const pctText = (p: number | null) =>
  p === null ? '–' : `${p > 0 ? '+' : ''}${p.toLocaleString('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;

export function TariffsSets({ regionId, overview, me }: { regionId: string; overview: TariffOverview; me: Me }) {
  const queryClient = useQueryClient();
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const sets = overview.sets;
  const published = sets.find((s) => s.status === 'gepubliceerd');
  const proposedDefault = sets.find((s) => s.status !== 'gepubliceerd');
  const [a, setA] = useState<string>(published && proposedDefault ? String(published.id) : 'gedeclareerd');
  const [b, setB] = useState<string>(String(proposedDefault?.id ?? sets[0]?.id ?? ''));
  const [yearParam, setYear] = useState<number | null>(null);
  const [dim, setDim] = useState<(typeof DIMS)[number]['value']>('gemeente');
  const year = yearParam ?? defaultYear(region.data);
  const canImpact = me.role === 'regio' || me.role === 'gemeente';

  const setA_ = useQuery({
    queryKey: ['tariff-set', regionId, a],
    enabled: a !== 'gedeclareerd' && !!a,
    queryFn: () => api<TariffSetDetail>(`/api/regions/${regionId}/tariffs/set?id=${a}`),
  });
  const setB_ = useQuery({
    queryKey: ['tariff-set', regionId, b],
    enabled: !!b && b !== 'gedeclareerd',
    queryFn: () => api<TariffSetDetail>(`/api/regions/${regionId}/tariffs/set?id=${b}`),
  });
  const query = `year=${year}&baseline=${a}&proposed=${b}`;
  const impact = useQuery({
    queryKey: ['tariff-impact', regionId, query],
    enabled: canImpact && !!b && region.isSuccess,
    queryFn: () => api<TariffImpact>(`/api/regions/${regionId}/tariffs/impact?${query}`),
  });

  const invalidate = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: ['tariffs', regionId] }), queryClient.invalidateQueries({ queryKey: ['tariff-set', regionId] })]);
  const [confirm, setConfirm] = useState<number | null>(null);
  const action = useMutation({
    mutationFn: ({ id, what }: { id: number; what: 'approve' | 'publish' }) =>
      api<unknown>(`/api/regions/${regionId}/tariffs/sets/${what}`, { method: 'POST', json: { id } }),
    onSuccess: async () => {
      setConfirm(null);
      await invalidate();
    },
  });

  const options = [
    { value: 'gedeclareerd', label: `Gedeclareerd in ${year} (werkelijk)` },
    ...sets.map((s) => ({ value: String(s.id), label: `${s.name} (${STATUS[s.status]}, vanaf ${s.validFrom})` })),
  ];

  const setColumns: Column<TariffSet>[] = [
    {
      key: 'name',
      header: 'Tariefset',
      value: (s) => s.name,
      render: (s) => (
        <>
          {s.name}
          <span className="rk-muted" style={{ display: 'block', fontSize: '0.85rem', fontWeight: 400 }}>
            {s.description}
          </span>
        </>
      ),
    },
    { key: 'from', header: 'Ingangsdatum', value: (s) => s.validFrom, render: (s) => formatDate(s.validFrom) },
    { key: 'status', header: 'Status', value: (s) => s.status, render: (s) => <span data-testid={`status-${s.id}`}>{STATUS[s.status]}</span> },
    { key: 'origin', header: 'Herkomst', value: (s) => (s.origin === 'kostprijs' ? 'kostprijsmodel' : 'indexatie') },
    { key: 'lines', header: 'Tarieven', numeric: true, value: (s) => s.lines },
    ...(overview.canEdit
      ? [
          {
            key: 'actions',
            header: 'Acties',
            value: () => null,
            render: (s: TariffSet) =>
              s.status === 'concept' ? (
                <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => action.mutate({ id: s.id, what: 'approve' })}>
                  Vaststellen<span className="rk-visually-hidden"> {s.name}</span>
                </button>
              ) : s.status === 'vastgesteld' ? (
                confirm === s.id ? (
                  <button type="button" className="utrecht-button utrecht-button--primary-action" onClick={() => action.mutate({ id: s.id, what: 'publish' })}>
                    Bevestig: publiceer vanaf {formatDate(s.validFrom)}
                    <span className="rk-visually-hidden"> {s.name}</span>
                  </button>
                ) : (
                  <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => setConfirm(s.id)}>
                    Publiceren …<span className="rk-visually-hidden"> {s.name}</span>
                  </button>
                )
              ) : (
                <span className="rk-muted">in het productenboek</span>
              ),
          } as Column<TariffSet>,
        ]
      : []),
  ];

  // the two sets' tariffs side by side, per product
  const side = useMemo(() => {
    const rows = new Map<number, { productId: number; code: string; name: string; unit: string; a: number | null; b: number | null }>();
    for (const l of setA_.data?.lines ?? [])
      rows.set(l.productId, { productId: l.productId, code: l.code, name: l.name, unit: l.unit, a: l.amountCents, b: null });
    for (const l of setB_.data?.lines ?? [])
      rows.set(l.productId, { ...(rows.get(l.productId) ?? { productId: l.productId, code: l.code, name: l.name, unit: l.unit, a: null }), b: l.amountCents });
    return [...rows.values()].sort((x, y) => x.code.localeCompare(y.code));
  }, [setA_.data, setB_.data]);
  const unitName: Record<string, string> = { '01': 'minuut', '04': 'uur', '14': 'etmaal', '16': 'dagdeel' };

  return (
    <>
      <section className="rk-section" aria-labelledby="kop-sets" style={{ marginTop: '1rem' }}>
        <h2 id="kop-sets" className="utrecht-heading-2">
          Tariefsets
        </h2>
        <DataTable
          rows={sets}
          columns={setColumns}
          rowKey={(s) => s.id}
          testId="tabel-tariefsets"
          caption="Tariefsets: een concept wordt vastgesteld en daarna gepubliceerd; dan zijn het de tarieven van het productenboek vanaf de ingangsdatum (eerdere tarieven blijven bewaard)"
        />
        {action.isError && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            {(action.error as ApiError).message}
          </div>
        )}
        {overview.canEdit && <NewCostPriceSet regionId={regionId} overview={overview} onDone={invalidate} />}
      </section>

      {sets.length === 0 && (
        <div className="utrecht-alert utrecht-alert--info" role="status">
          <p className="utrecht-paragraph">Deze regio heeft nog geen tariefsets: maak er een uit het kostprijsmodel of door indexatie.</p>
        </div>
      )}
      {sets.length > 0 && (
        <section className="rk-section" aria-labelledby="kop-vergelijk">
          <h2 id="kop-vergelijk" className="utrecht-heading-2">
            Twee scenario’s vergelijken
          </h2>
          <div className="rk-filters">
            <SelectField id="scenario-a" label="Scenario A (oud)" value={a} onChange={setA} options={options} />
            <SelectField id="scenario-b" label="Scenario B (nieuw)" value={b} onChange={setB} options={options.slice(1)} />
            <SelectField
              id="volumejaar"
              label="Volumes van jaar"
              value={String(year)}
              onChange={(v) => setYear(Number(v))}
              options={(region.data?.years.length ? region.data.years : [year]).map((y) => ({ value: String(y), label: String(y) }))}
            />
          </div>
          {side.length > 0 && (
            <DataTable
              rows={side}
              rowKey={(r) => r.productId}
              testId="tabel-tarieven-ab"
              caption={`Tarieven per product: A ${a === 'gedeclareerd' ? '(gedeclareerd: de tarieven op de declaraties)' : (setA_.data?.set.name ?? '')} naast B ${setB_.data?.set.name ?? ''}`}
              columns={[
                {
                  key: 'code',
                  header: 'Product',
                  value: (r) => r.code,
                  render: (r) => (
                    <>
                      <code>{r.code}</code> {r.name}
                    </>
                  ),
                },
                { key: 'unit', header: 'Eenheid', value: (r) => unitName[r.unit] ?? r.unit },
                { key: 'a', header: 'Tarief A', numeric: true, value: (r) => r.a, render: (r) => (r.a === null ? '–' : formatEuroCents(r.a)) },
                { key: 'b', header: 'Tarief B', numeric: true, value: (r) => r.b, render: (r) => (r.b === null ? '–' : formatEuroCents(r.b)) },
                {
                  key: 'd',
                  header: 'Verschil',
                  numeric: true,
                  value: (r) => (r.a && r.b !== null ? (r.b - r.a) / r.a : null),
                  render: (r) => (r.a && r.b !== null ? pctText(Math.round(((r.b - r.a) / r.a) * 1000) / 10) : '–'),
                },
              ]}
            />
          )}
        </section>
      )}

      {canImpact && sets.length > 0 && (
        <section className="rk-section" aria-labelledby="kop-effect">
          <div className="rk-section-head">
            <h2 id="kop-effect" className="utrecht-heading-2">
              Budgeteffect op de volumes van {year}
            </h2>
            <span className="rk-downloads">
              <a className="utrecht-link" href={`/api/regions/${regionId}/tariffs/impact.xlsx?${query}`} download>
                Download XLSX <span className="rk-visually-hidden">budgeteffect {year}</span>
              </a>
              <a className="utrecht-link" href={`/api/regions/${regionId}/tariffs/impact.csv?${query}&by=${dim}`} download>
                Download CSV <span className="rk-visually-hidden">budgeteffect per {dim}</span>
              </a>
            </span>
          </div>
          {impact.isError && (
            <div className="utrecht-alert utrecht-alert--error" role="alert">
              {impact.error.message}
            </div>
          )}
          {impact.isPending && (
            <p className="utrecht-paragraph" role="status">
              Budgeteffect berekenen …
            </p>
          )}
          {impact.data && <ImpactView i={impact.data} dim={dim} setDim={setDim} />}
        </section>
      )}
    </>
  );
}

function ImpactView({ i, dim, setDim }: { i: TariffImpact; dim: (typeof DIMS)[number]['value']; setDim: (d: (typeof DIMS)[number]['value']) => void }) {
  const rows = i.rows[dim];
  const option = useMemo(() => {
    const top = [...rows].sort((x, y) => Math.abs(y.diffCents) - Math.abs(x.diffCents)).slice(0, 15);
    return {
      grid: { left: 220, right: 30, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatEuro(v * 100) },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `€ ${(v / 1000).toLocaleString('nl-NL')}k` } },
      yAxis: { type: 'category', inverse: true, data: top.map((r) => r.label) },
      series: [
        { type: 'bar', name: 'Verschil', data: top.map((r) => ({ value: r.diffCents / 100, itemStyle: { color: r.diffCents >= 0 ? '#c92a2a' : '#2b8a3e' } })) },
      ],
    };
  }, [rows]);
  const columns: Column<TariffImpactRow>[] = [
    {
      key: 'label',
      header: DIMS.find((d) => d.value === dim)!.label[0].toUpperCase() + DIMS.find((d) => d.value === dim)!.label.slice(1),
      value: (r) => r.label,
      total: 'Totaal',
    },
    { key: 'lines', header: 'Declaratieregels', numeric: true, value: (r) => r.lines, render: (r) => formatCount(r.lines), total: formatCount(i.total.lines) },
    { key: 'old', header: 'Oud (A)', numeric: true, value: (r) => r.oldCents, render: (r) => formatEuro(r.oldCents), total: formatEuro(i.total.oldCents) },
    { key: 'new', header: 'Nieuw (B)', numeric: true, value: (r) => r.newCents, render: (r) => formatEuro(r.newCents), total: formatEuro(i.total.newCents) },
    { key: 'diff', header: 'Verschil', numeric: true, value: (r) => r.diffCents, render: (r) => formatEuro(r.diffCents), total: formatEuro(i.total.diffCents) },
    { key: 'pct', header: 'Verschil %', numeric: true, value: (r) => r.diffPct, render: (r) => pctText(r.diffPct), total: pctText(i.total.diffPct) },
  ];
  return (
    <>
      <dl className="rk-kpis" aria-label="Budgeteffect in totaal">
        <div className="rk-kpi">
          <dt>Oud: {i.baseline.name}</dt>
          <dd data-testid="effect-oud">{formatEuro(i.total.oldCents)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Nieuw: {i.proposed.name}</dt>
          <dd data-testid="effect-nieuw">{formatEuro(i.total.newCents)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Verschil</dt>
          <dd data-testid="effect-verschil">
            {formatEuro(i.total.diffCents)} ({pctText(i.total.diffPct)})
          </dd>
        </div>
      </dl>
      <p className="utrecht-paragraph rk-muted">
        Bereik: {i.scope}. Elke geaccepteerde declaratieregel met een periode in {i.year} is twee keer geprijsd: volume × tarief van A en van B (minuten op een
        uurtarief: volume × uurtarief / 60, afgerond per regel).
        {i.unpriced.lines > 0 && (
          <>
            {' '}
            {formatCount(i.unpriced.lines)} regels ({formatEuro(i.unpriced.oldCents)}) hebben geen tarief in B en tellen mee tegen het oude bedrag.
          </>
        )}
      </p>
      <div className="rk-filters">
        <SelectField id="effect-dimensie" label="Uitsplitsen naar" value={dim} onChange={(v) => setDim(v as typeof dim)} options={[...DIMS]} />
      </div>
      <Chart
        option={option}
        height={60 + 26 * Math.min(15, rows.length)}
        testId="grafiek-effect"
        label={`Staafdiagram van het verschil per ${dim} (de grootste vijftien); de tabel eronder bevat alle cijfers`}
      />
      <DataTable
        rows={rows}
        columns={columns}
        rowKey={(r) => r.key}
        testId="tabel-effect"
        initialSort={{ key: 'new', desc: true }}
        caption={`Budgeteffect per ${dim}: ${i.baseline.name} (A) tegen ${i.proposed.name} (B), volumes ${i.year}`}
      />
    </>
  );
}

function NewCostPriceSet({ regionId, overview, onDone }: { regionId: string; overview: TariffOverview; onDone: () => Promise<unknown> }) {
  const [name, setName] = useState('');
  const [validFrom, setValidFrom] = useState(() => `${new Date().getFullYear() + 1}-01-01`);
  const [normSetId, setNormSetId] = useState(String(overview.normSets[0]?.id ?? ''));
  const adopted = overview.bandTables.filter((t) => t.status === 'vastgesteld');
  const [bandTableId, setBandTableId] = useState(String(adopted[0]?.id ?? ''));
  const create = useMutation({
    mutationFn: () =>
      api<{ id: number; lines: number; skipped: { code: string; reason: string }[] }>(`/api/regions/${regionId}/tariffs/sets`, {
        method: 'POST',
        json: {
          origin: 'kostprijs',
          name: name || `Kostprijsmodel vanaf ${validFrom}`,
          validFrom,
          normSetId: Number(normSetId),
          bandTableId: bandTableId ? Number(bandTableId) : null,
        },
      }),
    onSuccess: onDone,
  });
  if (!overview.normSets.length) return null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
      aria-label="Nieuwe tariefset uit het kostprijsmodel"
      style={{ marginTop: '1rem' }}
    >
      <Fieldset legend="Nieuwe tariefset uit het kostprijsmodel">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="set-naam">
            Naam
          </label>
          <input
            id="set-naam"
            className="utrecht-textbox utrecht-textbox--html-input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={`Kostprijsmodel vanaf ${validFrom}`}
          />
        </div>
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="set-ingang">
            Ingangsdatum
          </label>
          <input
            id="set-ingang"
            type="date"
            className="utrecht-textbox utrecht-textbox--html-input"
            value={validFrom}
            onChange={(e) => setValidFrom(e.target.value)}
          />
        </div>
        <SelectField
          id="set-normen"
          label="Normenset"
          value={normSetId}
          onChange={setNormSetId}
          options={overview.normSets.map((n) => ({ value: String(n.id), label: `${n.name} versie ${n.version}` }))}
        />
        <SelectField
          id="set-klassen"
          label="Klassentabel"
          value={bandTableId}
          onChange={setBandTableId}
          options={[
            { value: '', label: 'geen' },
            ...overview.bandTables.map((t) => ({ value: String(t.id), label: `${t.name} versie ${t.version} (${t.status})` })),
          ]}
        />
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={create.isPending}>
          Tariefset maken
        </button>
      </Fieldset>
      {create.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {(create.error as ApiError).message}
        </div>
      )}
      {create.isSuccess && (
        <div className="utrecht-alert utrecht-alert--ok" role="status">
          <p className="utrecht-paragraph">
            Tariefset {create.data.id} gemaakt met {create.data.lines} tarieven.
            {create.data.skipped.length > 0 && <> Niet opgenomen: {create.data.skipped.map((s) => `${s.code} (${s.reason})`).join('; ')}.</>}
          </p>
        </div>
      )}
    </form>
  );
}
