// Indexatie: the weighted index per year (e.g. OVA 90% + PCC 10%), provisional and definitive; next year's
// tariffs are a set indexed with the provisional index, corrected for last year's definitive one.
import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type TariffOverview } from '../api.ts';
import { indexFactor, weightedIndex } from '../../../src/tariffs/model.ts';
import { DataTable } from '../components/DataTable.tsx';
import { DecimalField, Fieldset, IntField, SelectField } from '../components/TariffFields.tsx';

const pct = (s: string) => `${Number(s).toLocaleString('nl-NL', { maximumFractionDigits: 4 })}%`;

export function TariffsIndex({ regionId, overview }: { regionId: string; overview: TariffOverview }) {
  const queryClient = useQueryClient();
  const latest = overview.indices[0]?.year ?? new Date().getFullYear();
  const [year, setYear] = useState(latest + 1);
  const [kind, setKind] = useState<'voorlopig' | 'definitief'>('voorlopig');
  const [components, setComponents] = useState([
    { name: 'OVA', weight: '0.9', pct: '' },
    { name: 'PCC', weight: '0.1', pct: '' },
  ]);
  const [source, setSource] = useState('');
  const [setYear_, setSetYear] = useState(latest);
  const [baseSet, setBaseSet] = useState<string>(String(overview.sets.find((s) => s.status === 'gepubliceerd')?.id ?? ''));

  const weighted = useMemo(() => {
    try {
      return { v: weightedIndex(components).toString(), error: null };
    } catch (e) {
      return { v: null, error: (e as Error).message };
    }
  }, [components]);
  const factor = useMemo(() => {
    const find = (y: number, k: string) => overview.indices.find((i) => i.year === y && i.kind === k);
    const p = find(setYear_, 'voorlopig'),
      pp = find(setYear_ - 1, 'voorlopig'),
      pd = find(setYear_ - 1, 'definitief');
    if (!p) return null;
    return { f: indexFactor(p.weightedPct, pp && pd ? { provisionalPct: pp.weightedPct, definitivePct: pd.weightedPct } : undefined), p, pp, pd };
  }, [overview.indices, setYear_]);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['tariffs', regionId] });
  const addIndex = useMutation({
    mutationFn: () => api<{ weightedPct: string }>(`/api/regions/${regionId}/tariffs/indices`, { method: 'POST', json: { year, kind, components, source } }),
    onSuccess: invalidate,
  });
  const makeSet = useMutation({
    mutationFn: () =>
      api<{ id: number; lines: number }>(`/api/regions/${regionId}/tariffs/sets`, {
        method: 'POST',
        json: { origin: 'indexatie', year: setYear_, baseSetId: baseSet ? Number(baseSet) : null },
      }),
    onSuccess: invalidate,
  });

  return (
    <>
      <section className="rk-section" aria-labelledby="kop-indices" style={{ marginTop: '1rem' }}>
        <h2 id="kop-indices" className="utrecht-heading-2">
          Indexcijfers
        </h2>
        <DataTable
          rows={overview.indices}
          rowKey={(i) => i.id}
          testId="tabel-indices"
          caption="Gewogen indexcijfers per jaar; de weging volgt het VNG-advies (OVA en PCC)"
          columns={[
            { key: 'year', header: 'Jaar', value: (i) => i.year },
            { key: 'kind', header: 'Soort', value: (i) => i.kind },
            {
              key: 'components',
              header: 'Componenten',
              value: (i) =>
                i.components
                  .map((c) => `${c.name} ${(Number(c.weight) * 100).toLocaleString('nl-NL', { maximumFractionDigits: 2 })}% × ${pct(c.pct)}`)
                  .join(' + '),
            },
            { key: 'weighted', header: 'Gewogen index', numeric: true, value: (i) => Number(i.weightedPct), render: (i) => pct(i.weightedPct) },
            { key: 'source', header: 'Bron', value: (i) => i.source },
          ]}
        />
        {overview.canEdit && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              addIndex.mutate();
            }}
            aria-label="Indexcijfer vastleggen"
            style={{ marginTop: '1rem' }}
          >
            <Fieldset legend="Indexcijfer vastleggen">
              <IntField id="index-jaar" label="Jaar" value={year} min={2000} max={2100} onChange={setYear} />
              <SelectField
                id="index-soort"
                label="Soort"
                value={kind}
                onChange={(v) => setKind(v as 'voorlopig' | 'definitief')}
                options={[
                  { value: 'voorlopig', label: 'voorlopig' },
                  { value: 'definitief', label: 'definitief' },
                ]}
              />
              {components.map((c, i) => (
                <div key={i} style={{ display: 'flex', gap: '0.75rem', alignItems: 'flex-end' }}>
                  <DecimalField
                    id={`index-gewicht-${i}`}
                    label={`Gewicht ${c.name} (deel)`}
                    value={c.weight}
                    onChange={(v) => setComponents(components.map((x, j) => (j === i ? { ...x, weight: v ?? '' } : x)))}
                  />
                  <DecimalField
                    id={`index-pct-${i}`}
                    label={`${c.name} (%)`}
                    value={c.pct}
                    onChange={(v) => setComponents(components.map((x, j) => (j === i ? { ...x, pct: v ?? '' } : x)))}
                  />
                </div>
              ))}
              <div className="rk-inline-field">
                <label className="utrecht-form-label" htmlFor="index-bron">
                  Bron
                </label>
                <input id="index-bron" className="utrecht-textbox utrecht-textbox--html-input" value={source} onChange={(e) => setSource(e.target.value)} />
              </div>
              <p className="utrecht-paragraph" aria-live="polite" style={{ margin: 0 }}>
                Gewogen: <strong data-testid="gewogen-index">{weighted.v !== null && components.every((c) => c.pct) ? pct(weighted.v) : '–'}</strong>
              </p>
              <button
                type="submit"
                className="utrecht-button utrecht-button--primary-action"
                disabled={!!weighted.error || addIndex.isPending || components.some((c) => !c.pct)}
              >
                Vastleggen
              </button>
            </Fieldset>
            {weighted.error && !components.some((c) => c.pct.trim() === '') && (
              <div className="utrecht-alert utrecht-alert--error" role="alert">
                {weighted.error}
              </div>
            )}
            {addIndex.isError && (
              <div className="utrecht-alert utrecht-alert--error" role="alert">
                {(addIndex.error as ApiError).message}
              </div>
            )}
          </form>
        )}
      </section>
      <section className="rk-section" aria-labelledby="kop-indexeren">
        <h2 id="kop-indexeren" className="utrecht-heading-2">
          Tarieven indexeren
        </h2>
        <div className="rk-filters">
          <IntField id="indexeer-jaar" label="Tarieven voor jaar" value={setYear_} min={2000} max={2100} onChange={setSetYear} />
          <SelectField
            id="indexeer-basis"
            label="Uitgaan van"
            value={baseSet}
            onChange={setBaseSet}
            options={[
              { value: '', label: `productenboek op 31 december ${setYear_ - 1}` },
              ...overview.sets.filter((s) => s.validFrom < `${setYear_}-01-01`).map((s) => ({ value: String(s.id), label: `${s.name} (${s.status})` })),
            ]}
          />
        </div>
        <p className="utrecht-paragraph" aria-live="polite">
          {factor ? (
            <>
              Factor {factor.f.toDecimalPlaces(6).toString().replace('.', ',')}: voorlopig {setYear_} {pct(factor.p.weightedPct)}
              {factor.pp && factor.pd ? (
                <>
                  , met nacalculatie {setYear_ - 1}: (1 + {pct(factor.pd.weightedPct)} definitief) / (1 + {pct(factor.pp.weightedPct)} voorlopig)
                </>
              ) : (
                <> (geen nacalculatie: het definitieve cijfer van {setYear_ - 1} ontbreekt)</>
              )}
              . Elk tarief wordt één keer op centen afgerond.
            </>
          ) : (
            `Er is nog geen voorlopig indexcijfer voor ${setYear_}.`
          )}
        </p>
        {overview.canEdit && (
          <button
            type="button"
            className="utrecht-button utrecht-button--primary-action"
            disabled={!factor || makeSet.isPending}
            onClick={() => makeSet.mutate()}
          >
            Maak concept-tariefset {setYear_}
          </button>
        )}
        {makeSet.isError && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            {(makeSet.error as ApiError).message}
          </div>
        )}
        {makeSet.isSuccess && (
          <div className="utrecht-alert utrecht-alert--ok" role="status">
            Tariefset {makeSet.data.id} gemaakt met {makeSet.data.lines} tarieven; vergelijk hem onder ‘Tariefsets en budgeteffect’.
          </div>
        )}
      </section>
    </>
  );
}
