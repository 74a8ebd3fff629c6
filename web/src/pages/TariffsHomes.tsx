// Gezinshuizen: a tariff per home from the national building blocks (parents, behavioural scientist, support,
// respite, care costs, housing, vacancy, care intensity, overhead, margin). Pick a home, change a block, see
// the tariff at once; the region records it from a date (earlier tariffs stay).
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type GezinshuisInput, type TariffHome, type TariffNormSet, type TariffOverview } from '../api.ts';
import { buildGezinshuisTariff } from '../../../src/tariffs/model.ts';
import { formatDate, formatEuroCents } from '../format.ts';
import { DataTable } from '../components/DataTable.tsx';
import { DecimalField, Fieldset, MoneyField, SelectField } from '../components/TariffFields.tsx';
import { TariffBuildUp, TariffHeadline } from '../components/TariffBuildUp.tsx';

export function TariffsHomes({ regionId, overview }: { regionId: string; overview: TariffOverview }) {
  const queryClient = useQueryClient();
  const [date] = useState(() => new Date().toISOString().slice(0, 10));
  const homes = useQuery({
    queryKey: ['tariff-homes', regionId, date],
    queryFn: () => api<TariffHome[]>(`/api/regions/${regionId}/tariffs/homes?date=${date}`),
  });
  const [homeId, setHomeId] = useState<number | null>(null);
  const home = homes.data?.find((h) => h.id === homeId) ?? homes.data?.[0];
  const normSetId = home?.normSetId ?? overview.normSets[0].id;
  const normSet = useQuery({
    queryKey: ['tariff-norm-set', regionId, normSetId],
    queryFn: () => api<TariffNormSet>(`/api/regions/${regionId}/tariffs/norm-set?id=${normSetId}`),
  });
  const [input, setInput] = useState<GezinshuisInput | null>(null);
  const [validFrom, setValidFrom] = useState(() => `${new Date().getFullYear() + 1}-01-01`);
  useEffect(() => {
    if (!home || !normSet.data) return;
    const standard = normSet.data.body.gezinshuis;
    if (home.input) setInput(structuredClone(home.input));
    else if (standard) {
      const { code: _c, ...rest } = standard;
      setInput({ ...structuredClone(rest), name: home.name, places: home.places });
    }
  }, [home?.id, normSet.data]);

  const result = useMemo(() => {
    if (!input || !normSet.data) return null;
    try {
      return { b: buildGezinshuisTariff(normSet.data.body, input), error: null };
    } catch (e) {
      return { b: null, error: (e as Error).message };
    }
  }, [input, normSet.data]);

  const save = useMutation({
    mutationFn: () =>
      api<{ tariffCents: number }>(`/api/regions/${regionId}/tariffs/homes`, {
        method: 'POST',
        json: { groupId: home!.id, validFrom, normSetId, home: input },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tariff-homes', regionId] }),
  });

  if (homes.isError)
    return (
      <div className="utrecht-alert utrecht-alert--error" role="alert">
        {homes.error.message}
      </div>
    );
  if (!homes.data)
    return (
      <p className="utrecht-paragraph" role="status">
        Gezinshuizen laden …
      </p>
    );
  if (!homes.data.length)
    return (
      <div className="utrecht-alert utrecht-alert--info" role="status">
        <p className="utrecht-paragraph">Er zijn geen gezinshuizen in het register van deze regio.</p>
      </div>
    );
  const set = (patch: Partial<GezinshuisInput>) => input && setInput({ ...input, ...patch });
  const fnOptions = (normSet.data?.body.functions ?? []).map((f) => ({ value: f.id, label: f.name }));

  return (
    <>
      <section className="rk-section" aria-labelledby="kop-huizen" style={{ marginTop: '1rem' }}>
        <h2 id="kop-huizen" className="utrecht-heading-2">
          Tarief per gezinshuis
        </h2>
        <DataTable
          rows={homes.data}
          rowKey={(h) => h.id}
          testId="tabel-gezinshuizen"
          caption={`Gezinshuizen met het tarief per kind per etmaal dat op ${formatDate(date)} geldt`}
          columns={[
            {
              key: 'name',
              header: 'Gezinshuis',
              value: (h) => `${h.providerName} ${h.name}`,
              render: (h) => (
                <button type="button" className="utrecht-button utrecht-button--subtle" aria-pressed={h.id === home?.id} onClick={() => setHomeId(h.id)}>
                  {h.name} van {h.providerName}
                </button>
              ),
            },
            { key: 'places', header: 'Plaatsen', numeric: true, value: (h) => h.places },
            {
              key: 'tariff',
              header: 'Tarief per etmaal',
              numeric: true,
              value: (h) => h.tariffCents,
              render: (h) => (h.tariffCents === null ? 'geen tarief' : formatEuroCents(h.tariffCents)),
            },
            { key: 'from', header: 'Geldig vanaf', value: (h) => h.validFrom, render: (h) => (h.validFrom ? formatDate(h.validFrom) : '–') },
            {
              key: 'prev',
              header: 'Vorig tarief',
              numeric: true,
              value: (h) => h.previousCents,
              render: (h) => (h.previousCents === null ? '–' : formatEuroCents(h.previousCents)),
            },
          ]}
        />
      </section>
      {home && input && (
        <section className="rk-section" aria-labelledby="kop-huis">
          <h2 id="kop-huis" className="utrecht-heading-2">
            {home.name} van {home.providerName}
          </h2>
          <div className="rk-form-and-result">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                save.mutate();
              }}
              aria-label="Bouwstenen gezinshuis"
            >
              <Fieldset legend="Huis">
                <p className="utrecht-paragraph" style={{ margin: 0 }}>
                  {input.places} plaatsen
                </p>
                <DecimalField
                  id="gh-bezetting"
                  label="Bezetting (%, 100 − leegstand)"
                  value={input.occupancyPct}
                  onChange={(v) => set({ occupancyPct: v ?? '' })}
                />
                <DecimalField
                  id="gh-zorgzwaarte"
                  label="Zorgzwaarte-opslag (%)"
                  value={input.careIntensityPct}
                  onChange={(v) => set({ careIntensityPct: v ?? '' })}
                />
              </Fieldset>
              <Fieldset legend="Gezinshuisouders">
                <SelectField
                  id="gh-ouders"
                  label="Vorm"
                  value={input.parents.mode}
                  options={[
                    { value: 'loondienst', label: 'in loondienst' },
                    { value: 'zzp', label: 'zelfstandig (zzp)' },
                  ]}
                  onChange={(v) =>
                    set({
                      parents: v === 'zzp' ? { mode: 'zzp', feeCentsPerYear: 9_000_000 } : { mode: 'loondienst', functionId: 'gezinshuisouder', fte: '2' },
                    })
                  }
                />
                {input.parents.mode === 'loondienst' ? (
                  <>
                    <SelectField
                      id="gh-ouders-functie"
                      label="Functie"
                      value={input.parents.functionId}
                      options={fnOptions}
                      onChange={(v) => set({ parents: { ...input.parents, functionId: v } as GezinshuisInput['parents'] })}
                    />
                    <DecimalField
                      id="gh-ouders-fte"
                      label="fte"
                      value={input.parents.fte}
                      onChange={(v) => set({ parents: { ...input.parents, fte: v ?? '' } as GezinshuisInput['parents'] })}
                    />
                  </>
                ) : (
                  <MoneyField
                    id="gh-ouders-vergoeding"
                    label="Vergoeding per jaar"
                    cents={input.parents.feeCentsPerYear}
                    onChange={(c) => set({ parents: { mode: 'zzp', feeCentsPerYear: c } })}
                  />
                )}
              </Fieldset>
              <Fieldset legend="Ondersteuning">
                <DecimalField
                  id="gh-gw"
                  label="Gedragswetenschapper: uur per kind per maand"
                  value={input.behaviouralScientist.hoursPerChildPerMonth}
                  onChange={(v) => set({ behaviouralScientist: { ...input.behaviouralScientist, hoursPerChildPerMonth: v ?? '' } })}
                />
                <DecimalField
                  id="gh-ondersteuning"
                  label="Ondersteuning: uur per maand"
                  value={input.support.hoursPerMonth}
                  onChange={(v) => set({ support: { ...input.support, hoursPerMonth: v ?? '' } })}
                />
                <DecimalField
                  id="gh-respijt-dagen"
                  label="Respijtzorg: dagen per jaar"
                  value={input.respite.daysPerYear}
                  onChange={(v) => set({ respite: { ...input.respite, daysPerYear: v ?? '' } })}
                />
                <MoneyField
                  id="gh-respijt-dag"
                  label="Respijtzorg per dag"
                  cents={input.respite.centsPerDay}
                  onChange={(c) => set({ respite: { ...input.respite, centsPerDay: c } })}
                />
              </Fieldset>
              <Fieldset legend="Kosten">
                <MoneyField
                  id="gh-verzorging"
                  label="Verzorgingskosten per kind per dag"
                  cents={input.careCostsCentsPerChildPerDay}
                  onChange={(c) => set({ careCostsCentsPerChildPerDay: c })}
                />
                <MoneyField
                  id="gh-huisvesting"
                  label="Huisvesting per jaar"
                  cents={input.housingCentsPerYear}
                  onChange={(c) => set({ housingCentsPerYear: c })}
                />
                <DecimalField
                  id="gh-overhead"
                  label="Overhead (%)"
                  optional
                  value={input.overheadPct}
                  onChange={(v) => set({ overheadPct: v })}
                  hint="leeg = norm van de normenset"
                />
                <DecimalField
                  id="gh-marge"
                  label="Marge (%)"
                  optional
                  value={input.marginPct}
                  onChange={(v) => set({ marginPct: v })}
                  hint="leeg = risico-opslag van de normenset"
                />
              </Fieldset>
              {overview.canEdit && (
                <div className="rk-filters">
                  <div className="rk-inline-field">
                    <label className="utrecht-form-label" htmlFor="gh-geldig">
                      Geldig vanaf
                    </label>
                    <input
                      id="gh-geldig"
                      type="date"
                      className="utrecht-textbox utrecht-textbox--html-input"
                      value={validFrom}
                      onChange={(e) => setValidFrom(e.target.value)}
                    />
                  </div>
                  <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={!!result?.error || save.isPending}>
                    Tarief vastleggen
                  </button>
                </div>
              )}
              {save.isError && (
                <div className="utrecht-alert utrecht-alert--error" role="alert">
                  {(save.error as ApiError).message}
                </div>
              )}
              {save.isSuccess && (
                <div className="utrecht-alert utrecht-alert--ok" role="status">
                  Vastgelegd: {formatEuroCents(save.data.tariffCents)} per etmaal vanaf {formatDate(validFrom)}.
                </div>
              )}
            </form>
            <div>
              {result?.error && (
                <div className="utrecht-alert utrecht-alert--error" role="alert">
                  <p className="utrecht-paragraph">{result.error}</p>
                </div>
              )}
              {result?.b && (
                <>
                  <TariffHeadline b={result.b} testId="tarief-gezinshuis" />
                  <TariffBuildUp b={result.b} chart={false} caption={`Opbouw van het tarief per kind per etmaal, ${home.name}`} />
                </>
              )}
            </div>
          </div>
        </section>
      )}
    </>
  );
}
