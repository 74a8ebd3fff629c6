// Verblijfsintensiteiten: the band table in force, a tariff per band from its norms, every group classified
// from its roster (hours per week / places / 7). Move a limit or add a band and the groups are re-classified at
// once, before and after side by side; the region saves the table as a new version.
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Band, type BandTableBody, type Me, type TariffBandView, type TariffNormSet, type TariffOverview } from '../api.ts';
import {
  bandProductNorm,
  buildProductTariff,
  classifyGroups,
  groupBandProduct,
  intensityRounded,
  mapBandProducts,
  usesBands,
  validateBandTable,
  type BuildUp,
} from '../../../src/tariffs/model.ts';
import { formatCount, formatEuroCents } from '../format.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DecimalField, Fieldset, IntField, SelectField } from '../components/TariffFields.tsx';
import { TariffBuildUp } from '../components/TariffBuildUp.tsx';
import { careTypeWord } from '../names.ts';

/** A band with the region's product, or why there is none. */
const bandLabel = (b: { name: string; productCode: string | null; problem?: string | null }) =>
  b.productCode ? (
    `${b.name} (${b.productCode})`
  ) : (
    <>
      {b.name}{' '}
      <span className="rk-flag rk-flag--over" title={b.problem ?? ''}>
        geen product
      </span>
    </>
  );
const num = (s: string | null) => (s === null ? '–' : Number(s).toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export function TariffsBands({ regionId, overview }: { regionId: string; overview: TariffOverview; me: Me }) {
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['tariff-bands', regionId], queryFn: () => api<TariffBandView>(`/api/regions/${regionId}/tariffs/bands`) });
  const normSet = useQuery({
    queryKey: ['tariff-norm-set', regionId, view.data?.table.normSetId],
    enabled: !!view.data,
    queryFn: () => api<TariffNormSet>(`/api/regions/${regionId}/tariffs/norm-set?id=${view.data!.table.normSetId}`),
  });
  const [draft, setDraft] = useState<BandTableBody | null>(null);
  const [onlyChanged, setOnlyChanged] = useState(false);
  const [selected, setSelected] = useState(0);
  const [validFrom, setValidFrom] = useState(() => `${new Date().getFullYear() + 1}-01-01`);
  const [status, setStatus] = useState<'concept' | 'vastgesteld'>('concept');
  useEffect(() => {
    if (view.data) setDraft(structuredClone(view.data.table.body));
  }, [view.data]);

  // the proposal, computed here on every keystroke with the same model the server uses
  const proposal = useMemo(() => {
    if (!draft || !normSet.data || !view.data) return null;
    try {
      const { tariffs } = validateBandTable(normSet.data.body, draft);
      const mapping = mapBandProducts(draft.bands, view.data.book, view.data.regionName);
      const input = view.data.groups.map((g) => ({ id: g.id, hoursPerWeek: g.hoursPerWeek, places: g.places }));
      const after = classifyGroups(draft.bands, input);
      const groups = view.data.groups.map((g, i) => {
        const b = after[i].band >= 0 && draft.groupTypes.includes(g.groupType) && usesBands(g.productCode, mapping, view.data.book) ? after[i].band : -1;
        const next =
          b >= 0
            ? {
                band: draft.bands[b].code,
                name: draft.bands[b].name,
                ...groupBandProduct(g.productCode, mapping[b], view.data.book),
                tariffCents: tariffs[b].tariffCents,
              }
            : null;
        return { ...g, before: g.after, after: next, changed: g.after?.band !== next?.band || g.after?.tariffCents !== next?.tariffCents };
      });
      return { tariffs, groups, mapping, error: null };
    } catch (e) {
      return { tariffs: [] as BuildUp[], groups: [], mapping: [], error: (e as Error).message };
    }
  }, [draft, normSet.data, view.data]);

  const save = useMutation({
    mutationFn: () =>
      api<{ id: number; version: number; changed: number }>(`/api/regions/${regionId}/tariffs/bands`, {
        method: 'POST',
        json: { name: view.data!.table.name, normSetId: view.data!.table.normSetId, validFrom, status, body: draft },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tariffs', regionId] }),
  });

  if (view.isError)
    return (
      <div className="utrecht-alert utrecht-alert--info" role="status" style={{ marginTop: '1rem' }}>
        <p className="utrecht-paragraph">{view.error.message}</p>
      </div>
    );
  if (!view.data || !draft || !normSet.data)
    return (
      <p className="utrecht-paragraph" role="status">
        Klassentabel laden …
      </p>
    );
  const t = view.data.table;
  const setBand = (i: number, patch: Partial<Band>) => setDraft({ ...draft, bands: draft.bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  const setBandNorm = (i: number, patch: Partial<Band['norms']>) => setBand(i, { norms: { ...draft.bands[i].norms, ...patch } });
  const addBand = () => {
    const last = draft.bands[draft.bands.length - 1];
    const lower = Math.floor(Number(last.lowerLimit) + 2);
    setDraft({
      ...draft,
      bands: [
        ...draft.bands,
        {
          ...structuredClone(last),
          code: `K${draft.bands.length + 1}`,
          name: `klasse ${draft.bands.length + 1}`,
          lowerLimit: String(lower),
          norms: { ...structuredClone(last.norms), normIntensity: String(lower + 1) },
        },
      ],
    });
  };
  const removeBand = (i: number) => {
    setDraft({ ...draft, bands: draft.bands.filter((_, j) => j !== i) });
    setSelected(0);
  };
  const groups = proposal?.groups ?? [];
  const changedCount = groups.filter((g) => g.changed).length;
  const shown = onlyChanged ? groups.filter((g) => g.changed) : groups;
  const edited = JSON.stringify(draft) !== JSON.stringify(t.body);
  const sel = draft.bands[Math.min(selected, draft.bands.length - 1)];
  const selTariff = safe(() => buildProductTariff(normSet.data!.body, bandProductNorm(sel)));

  type G = (typeof groups)[number];
  const columns: Column<G>[] = [
    {
      key: 'name',
      header: 'Groep',
      value: (g) => `${g.providerName} ${g.name}`,
      render: (g) => (
        <>
          {g.name}
          <span className="rk-muted"> · {g.locationName}</span>
        </>
      ),
    },
    { key: 'provider', header: 'Aanbieder', value: (g) => g.providerName },
    { key: 'type', header: 'Soort', value: (g) => careTypeWord(g.groupType) },
    { key: 'places', header: 'Plaatsen', numeric: true, value: (g) => g.places },
    { key: 'hours', header: 'Roosteruren per week', numeric: true, value: (g) => Number(g.hoursPerWeek), render: (g) => num(g.hoursPerWeek) },
    { key: 'intensity', header: 'Intensiteit', numeric: true, value: (g) => Number(g.intensity), render: (g) => num(g.intensity) },
    { key: 'before', header: 'Klasse nu', value: (g) => g.before?.name ?? null, render: (g) => (g.before ? bandLabel(g.before) : '–') },
    {
      key: 'after',
      header: 'Klasse nieuw',
      value: (g) => g.after?.name ?? null,
      render: (g) => (g.after ? g.changed && g.before?.band !== g.after.band ? <strong>{bandLabel(g.after)}</strong> : bandLabel(g.after) : '–'),
    },
    {
      key: 'tb',
      header: 'Tarief nu',
      numeric: true,
      value: (g) => g.before?.tariffCents ?? null,
      render: (g) => (g.before ? formatEuroCents(g.before.tariffCents) : '–'),
    },
    {
      key: 'ta',
      header: 'Tarief nieuw',
      numeric: true,
      value: (g) => g.after?.tariffCents ?? null,
      render: (g) => (g.after ? formatEuroCents(g.after.tariffCents) : '–'),
    },
  ];

  return (
    <>
      <section className="rk-section" aria-labelledby="kop-intensiteit" style={{ marginTop: '1rem' }}>
        <h2 id="kop-intensiteit" className="utrecht-heading-2">
          Verblijfsintensiteit berekenen
        </h2>
        <IntensityCalculator bands={draft.bands} />
      </section>

      <section className="rk-section" aria-labelledby="kop-klassen">
        <h2 id="kop-klassen" className="utrecht-heading-2">
          Klassentabel
        </h2>
        <p className="utrecht-paragraph rk-muted">
          {t.name} versie {t.version}, {t.status}, geldig vanaf {t.validFrom}; tarieven uit {t.normSetLabel}. Een klasse loopt van haar ondergrens tot de
          ondergrens van de volgende; de intensiteit wordt op twee decimalen afgerond en dan ingedeeld.
        </p>
        <div className="rk-table-scroll" tabIndex={0} role="region" aria-label="Klassentabel (schuift zijwaarts)">
          <table className="utrecht-table" data-testid="tabel-klassen">
            <caption className="utrecht-table__caption">
              Klassen van verblijfsintensiteit met productcode en tarief per etmaal{edited ? ' (gewijzigd, nog niet opgeslagen)' : ''}
            </caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                {[
                  'Klasse',
                  'Ondergrens (uur)',
                  'Tot',
                  'Productcode',
                  'Product van de regio',
                  'Normintensiteit',
                  'Tarief per etmaal nu',
                  'Tarief per etmaal nieuw',
                  'Groepen nu',
                  'Groepen nieuw',
                  'Acties',
                ].map((h) => (
                  <th key={h} scope="col" className="utrecht-table__header-cell">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {draft.bands.map((b, i) => {
                const now = view.data.bands.find((x) => x.code === b.code);
                return (
                  <tr className="utrecht-table__row" key={i}>
                    <th scope="row" className="utrecht-table__cell">
                      <label className="rk-visually-hidden" htmlFor={`klasse-naam-${i}`}>
                        Naam klasse {i + 1}
                      </label>
                      <input
                        id={`klasse-naam-${i}`}
                        className="utrecht-textbox utrecht-textbox--html-input"
                        style={{ width: '9rem' }}
                        value={b.name}
                        onChange={(e) => setBand(i, { name: e.target.value })}
                      />
                    </th>
                    <td className="utrecht-table__cell">
                      <label className="rk-visually-hidden" htmlFor={`ondergrens-${i}`}>
                        Ondergrens klasse {b.name}
                      </label>
                      <input
                        id={`ondergrens-${i}`}
                        className="utrecht-textbox utrecht-textbox--html-input"
                        inputMode="decimal"
                        style={{ width: '5rem' }}
                        value={b.lowerLimit.replace('.', ',')}
                        disabled={i === 0}
                        onChange={(e) => setBand(i, { lowerLimit: e.target.value.trim().replace(',', '.') })}
                      />
                    </td>
                    <td className="utrecht-table__cell">{draft.bands[i + 1] ? num(draft.bands[i + 1].lowerLimit) : 'onbegrensd'}</td>
                    <td className="utrecht-table__cell">
                      <label className="rk-visually-hidden" htmlFor={`productcode-${i}`}>
                        Productcode klasse {b.name}
                      </label>
                      <input
                        id={`productcode-${i}`}
                        className="utrecht-textbox utrecht-textbox--html-input"
                        style={{ width: '5.5rem' }}
                        value={b.productCode}
                        onChange={(e) => setBand(i, { productCode: e.target.value.trim().toUpperCase() })}
                      />
                    </td>
                    <td className="utrecht-table__cell" data-testid={`klasse-product-${i}`}>
                      {proposal?.mapping[i]?.problem ? (
                        <span className="rk-flag rk-flag--over" title={proposal.mapping[i].problem!}>
                          Geen product
                        </span>
                      ) : proposal?.mapping[i] ? (
                        <>
                          {proposal.mapping[i].productName} <span className="rk-muted">({proposal.mapping[i].segmentName})</span>
                        </>
                      ) : (
                        '–'
                      )}
                    </td>
                    <td className="utrecht-table__cell">
                      <label className="rk-visually-hidden" htmlFor={`normintensiteit-${i}`}>
                        Normintensiteit klasse {b.name}
                      </label>
                      <input
                        id={`normintensiteit-${i}`}
                        className="utrecht-textbox utrecht-textbox--html-input"
                        inputMode="decimal"
                        style={{ width: '5rem' }}
                        value={b.norms.normIntensity.replace('.', ',')}
                        onChange={(e) => setBandNorm(i, { normIntensity: e.target.value.trim().replace(',', '.') })}
                      />
                    </td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{now ? formatEuroCents(now.tariff.tariffCents) : '–'}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric" data-testid={`klasse-tarief-${i}`}>
                      {proposal?.tariffs[i] ? formatEuroCents(proposal.tariffs[i].tariffCents) : '–'}
                    </td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">
                      {formatCount(view.data.groups.filter((g) => g.after?.band === b.code).length)}
                    </td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatCount(groups.filter((g) => g.after?.band === b.code).length)}</td>
                    <td className="utrecht-table__cell">
                      <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => setSelected(i)}>
                        Opbouw<span className="rk-visually-hidden"> klasse {b.name}</span>
                      </button>
                      {i > 0 && (
                        <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => removeBand(i)}>
                          Verwijderen<span className="rk-visually-hidden"> klasse {b.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap', margin: '0.75rem 0' }}>
          <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={addBand}>
            Klasse toevoegen
          </button>
          <button
            type="button"
            className="utrecht-button utrecht-button--secondary-action"
            disabled={!edited}
            onClick={() => setDraft(structuredClone(t.body))}
          >
            Wijzigingen terugdraaien
          </button>
        </div>
        {proposal?.error && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            <p className="utrecht-paragraph">{proposal.error}</p>
          </div>
        )}
        {proposal && proposal.mapping.some((m) => m.problem) && (
          <div className="utrecht-alert utrecht-alert--warning" role="status" data-testid="klassen-zonder-product">
            <p className="utrecht-paragraph">
              Niet elke klasse heeft een product dat {view.data.regionName} inkoopt; een groep in zo'n klasse krijgt geen tarief uit deze tabel:
            </p>
            <ul>
              {proposal.mapping
                .filter((m) => m.problem)
                .map((m) => (
                  <li key={m.band}>{m.problem}.</li>
                ))}
            </ul>
          </div>
        )}
        {overview.canEdit && edited && !proposal?.error && (
          <form
            className="rk-filters"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
            aria-label="Klassentabel opslaan"
          >
            <div className="rk-inline-field">
              <label className="utrecht-form-label" htmlFor="klassen-geldig">
                Geldig vanaf
              </label>
              <input
                id="klassen-geldig"
                type="date"
                className="utrecht-textbox utrecht-textbox--html-input"
                value={validFrom}
                onChange={(e) => setValidFrom(e.target.value)}
              />
            </div>
            <SelectField
              id="klassen-status"
              label="Status"
              value={status}
              onChange={(v) => setStatus(v as 'concept' | 'vastgesteld')}
              options={[
                { value: 'concept', label: 'concept' },
                { value: 'vastgesteld', label: 'vastgesteld' },
              ]}
            />
            <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={save.isPending}>
              Opslaan als nieuwe versie
            </button>
          </form>
        )}
        {save.isError && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            {(save.error as ApiError).message}
          </div>
        )}
        {save.isSuccess && (
          <div className="utrecht-alert utrecht-alert--ok" role="status">
            Opgeslagen als versie {save.data.version}; {formatCount(save.data.changed)} groepen wisselen van klasse of tarief.
          </div>
        )}
      </section>

      <section className="rk-section" aria-labelledby="kop-klasse-normen">
        <h2 id="kop-klasse-normen" className="utrecht-heading-2">
          Normen en opbouw van klasse {sel.name}
        </h2>
        <Fieldset legend={`Normen klasse ${sel.name}`}>
          <IntField
            id="klasse-plaatsen"
            label="Plaatsen per groep"
            value={sel.norms.groupPlaces}
            min={1}
            max={50}
            onChange={(n) => setBandNorm(selected, { groupPlaces: n })}
          />
          <DecimalField
            id="klasse-bezetting"
            label="Bezetting (%)"
            value={sel.norms.occupancyPct}
            onChange={(v) => setBandNorm(selected, { occupancyPct: v ?? '' })}
          />
          <DecimalField
            id="klasse-productiviteit"
            label="Productiviteit (deel)"
            value={sel.norms.productivity}
            onChange={(v) => setBandNorm(selected, { productivity: v ?? '' })}
          />
          {sel.norms.mix.map((m, j) => (
            <DecimalField
              key={j}
              id={`klasse-mix-${j}`}
              label={`Aandeel ${normSet.data!.body.functions.find((f) => f.id === m.functionId)?.name ?? m.functionId} (deel)`}
              value={m.share}
              onChange={(v) => setBandNorm(selected, { mix: sel.norms.mix.map((x, k) => (k === j ? { ...x, share: v ?? '' } : x)) })}
            />
          ))}
          {sel.norms.indirect.map((x, j) => (
            <DecimalField
              key={`i${j}`}
              id={`klasse-fte-${j}`}
              label={`fte ${normSet.data!.body.functions.find((f) => f.id === x.functionId)?.name ?? x.functionId} per groep`}
              value={x.ftePerGroup}
              onChange={(v) => setBandNorm(selected, { indirect: sel.norms.indirect.map((y, k) => (k === j ? { ...y, ftePerGroup: v ?? '' } : y)) })}
            />
          ))}
        </Fieldset>
        {selTariff.value && (
          <TariffBuildUp
            b={selTariff.value}
            chart={false}
            caption={`Opbouw van het tarief per etmaal, klasse ${sel.name} (${sel.productCode}), bij ${num(sel.norms.normIntensity)} uur per jeugdige per etmaal`}
          />
        )}
        {selTariff.error && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            <p className="utrecht-paragraph">{selTariff.error}</p>
          </div>
        )}
      </section>

      <section className="rk-section" aria-labelledby="kop-groepen">
        <div className="rk-section-head">
          <h2 id="kop-groepen" className="utrecht-heading-2">
            Groepen ingedeeld
          </h2>
          <div className="utrecht-form-field utrecht-form-field--checkbox">
            <input
              id="alleen-gewijzigd"
              type="checkbox"
              className="utrecht-checkbox utrecht-checkbox--html-input"
              checked={onlyChanged}
              onChange={(e) => setOnlyChanged(e.target.checked)}
            />
            <label className="utrecht-form-label" htmlFor="alleen-gewijzigd" style={{ marginInlineStart: '0.4rem' }}>
              Alleen groepen die wisselen
            </label>
          </div>
        </div>
        <p className="utrecht-paragraph" role="status" data-testid="herindeling">
          {edited
            ? `${formatCount(changedCount)} van ${formatCount(groups.length)} groepen wisselen van klasse of tarief.`
            : `${formatCount(groups.length)} groepen ingedeeld${view.data.unclassified ? `, ${view.data.unclassified} zonder rooster` : ''}.`}
        </p>
        <DataTable
          rows={shown}
          columns={columns}
          rowKey={(g) => g.id}
          testId="tabel-groepen"
          initialSort={{ key: 'intensity', desc: false }}
          caption={`Groepen (${draft.groupTypes.map((x) => careTypeWord(x)).join(', ')}) met intensiteit = roosteruren per week / plaatsen / 7, klasse en tarief voor en na de wijziging`}
        />
      </section>
      {view.data.ownProduct.length > 0 && (
        <section className="rk-section" aria-labelledby="kop-eigen-product">
          <h2 id="kop-eigen-product" className="utrecht-heading-2">
            Groepen met een eigen product
          </h2>
          <p className="utrecht-paragraph rk-muted">
            Deze groepen vallen niet onder de verblijfsintensiteiten: hun segment heeft een eigen product in het productenboek (bijvoorbeeld crisisverblijf),
            waarvan het tarief geldt.
          </p>
          <DataTable
            rows={view.data.ownProduct}
            rowKey={(g) => g.id}
            testId="tabel-eigen-product"
            caption="Groepen met het product en tarief uit het productenboek"
            columns={[
              {
                key: 'name',
                header: 'Groep',
                value: (g) => g.name,
                render: (g) => (
                  <>
                    {g.name}
                    <span className="rk-muted"> · {g.locationName}</span>
                  </>
                ),
              },
              { key: 'provider', header: 'Aanbieder', value: (g) => g.providerName },
              { key: 'type', header: 'Soort', value: (g) => careTypeWord(g.groupType) },
              {
                key: 'product',
                header: 'Product',
                value: (g) => g.productName ?? g.productCode ?? '',
                render: (g) => (
                  <>
                    {g.productName ?? '–'} <span className="rk-muted">({g.productCode})</span>
                  </>
                ),
              },
              {
                key: 'tariff',
                header: 'Tarief per etmaal',
                numeric: true,
                value: (g) => g.tariffCents,
                render: (g) => (g.tariffCents === null ? 'geen tarief' : formatEuroCents(g.tariffCents)),
              },
            ]}
          />
        </section>
      )}
    </>
  );
}

/** A computation that may throw a model error (cheap: no memo needed). */
function safe<T>(fn: () => T): { value: T | null; error: string | null } {
  try {
    return { value: fn(), error: null };
  } catch (e) {
    return { value: null, error: (e as Error).message };
  }
}

/** The worked example of seed 001: 200 hours a week, 6 places → 4,76 hours per youth per etmaal. */
function IntensityCalculator({ bands }: { bands: Band[] }) {
  const [hours, setHours] = useState<string | undefined>('200');
  const [places, setPlaces] = useState(6);
  let text: string;
  try {
    const v = intensityRounded(hours ?? '', places);
    const b = classifyGroups(bands, [{ id: 0, hoursPerWeek: hours ?? '', places }])[0].band;
    text = `${hours?.replace('.', ',')} uur / ${places} plaatsen / 7 = ${v.toFixed(2).replace('.', ',')} uur per jeugdige per etmaal${b >= 0 ? `: klasse ${bands[b].name} (${bands[b].productCode})` : ''}`;
  } catch (e) {
    text = (e as Error).message;
  }
  return (
    <div className="rk-filters">
      <DecimalField id="rooster-uren" label="Netto roosteruren groepsbegeleiding per week" value={hours} onChange={setHours} />
      <IntField id="rooster-plaatsen" label="Plaatsen" value={places} min={1} max={50} onChange={setPlaces} />
      <p className="utrecht-paragraph" aria-live="polite" data-testid="intensiteit" style={{ margin: 0 }}>
        {text}
      </p>
    </div>
  );
}
