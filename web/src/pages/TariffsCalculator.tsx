// Kostprijsopbouw: pick a norm set and a product, change any norm, and the tariff and every step of its
// build-up are recalculated as you type. The region saves an edited norm set as a new version.
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type FunctionNorm, type NormSetBody, type ProductNorm, type TariffNormSet, type TariffOverview } from '../api.ts';
import { buildProductTariff, type TariffUnit } from '../../../src/tariffs/model.ts';
import { DecimalField, Fieldset, FractionField, IntField, MoneyField, SelectField } from '../components/TariffFields.tsx';
import { FunctionCosts, TariffBuildUp, TariffHeadline } from '../components/TariffBuildUp.tsx';

const UNITS: { value: TariffUnit; label: string }[] = [
  { value: 'uur', label: 'uur' },
  { value: 'minuut', label: 'minuut' },
  { value: 'dagdeel', label: 'dagdeel' },
  { value: 'etmaal', label: 'etmaal' },
];

export function TariffsCalculator({ regionId, overview }: { regionId: string; overview: TariffOverview }) {
  const queryClient = useQueryClient();
  const [normSetId, setNormSetId] = useState(overview.normSets[0].id);
  const normSet = useQuery({
    queryKey: ['tariff-norm-set', regionId, normSetId],
    queryFn: () => api<TariffNormSet>(`/api/regions/${regionId}/tariffs/norm-set?id=${normSetId}`),
  });
  const [draft, setDraft] = useState<NormSetBody | null>(null);
  const [code, setCode] = useState('');
  useEffect(() => {
    if (normSet.data) setDraft(structuredClone(normSet.data.body));
  }, [normSet.data]);

  const product = draft?.products.find((p) => p.code === code) ?? draft?.products[0];
  const result = useMemo(() => {
    if (!draft || !product) return null;
    try {
      return { b: buildProductTariff(draft, product), error: null };
    } catch (e) {
      return { b: null, error: (e as Error).message };
    }
  }, [draft, product]);

  const save = useMutation({
    mutationFn: () =>
      api<{ id: number; version: number }>(`/api/regions/${regionId}/tariffs/norm-sets`, {
        method: 'POST',
        json: { name: normSet.data!.name, validFrom: normSet.data!.validFrom, body: draft },
      }),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: ['tariffs', regionId] });
      setNormSetId(r.id);
    },
  });

  if (normSet.isError)
    return (
      <div className="utrecht-alert utrecht-alert--error" role="alert">
        {normSet.error.message}
      </div>
    );
  if (!draft || !product)
    return (
      <p className="utrecht-paragraph" role="status">
        Normenset laden …
      </p>
    );

  const setNorm = (patch: Partial<NormSetBody>) => setDraft({ ...draft, ...patch });
  const setProduct = (patch: Partial<ProductNorm>) =>
    setDraft({ ...draft, products: draft.products.map((p) => (p.code === product.code ? { ...p, ...patch } : p)) });
  const setFunction = (id: string, patch: Partial<FunctionNorm>) =>
    setDraft({ ...draft, functions: draft.functions.map((f) => (f.id === id ? { ...f, ...patch } : f)) });
  const used = [...new Set([...product.mix.map((m) => m.functionId), ...(product.unit === 'etmaal' ? (product.indirect ?? []) : []).map((i) => i.functionId)])];
  const fnOptions = draft.functions.map((f) => ({ value: f.id, label: f.name }));
  const changed = normSet.data && JSON.stringify(normSet.data.body) !== JSON.stringify(draft);
  const etmaal = product.unit === 'etmaal';

  return (
    <section className="rk-section" aria-labelledby="kop-kostprijs" style={{ marginTop: '1rem' }}>
      <h2 id="kop-kostprijs" className="utrecht-heading-2">
        Kostprijsopbouw per product
      </h2>
      <div className="rk-filters">
        <SelectField
          id="normenset"
          label="Normenset"
          value={String(normSetId)}
          onChange={(v) => setNormSetId(Number(v))}
          options={overview.normSets.map((n) => ({ value: String(n.id), label: `${n.name} versie ${n.version} (prijspeil ${n.validFrom.slice(0, 4)})` }))}
        />
        <SelectField
          id="product"
          label="Product"
          value={product.code}
          onChange={setCode}
          options={draft.products.map((p) => ({ value: p.code, label: `${p.code} ${p.name}` }))}
        />
      </div>
      <div className="rk-form-and-result">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
          aria-label="Normen"
        >
          <Fieldset legend="Algemene normen">
            <DecimalField id="uren-fte" label="Betaalde uren per fte per jaar" value={draft.hoursPerFte} onChange={(v) => setNorm({ hoursPerFte: v ?? '' })} />
            <DecimalField id="vakantiegeld" label="Vakantiegeld (%)" value={draft.holidayPayPct} onChange={(v) => setNorm({ holidayPayPct: v ?? '' })} />
            <DecimalField
              id="eindejaars"
              label="Eindejaarsuitkering (%)"
              value={draft.yearEndBonusPct}
              onChange={(v) => setNorm({ yearEndBonusPct: v ?? '' })}
            />
            <DecimalField
              id="sociale-lasten"
              label="Sociale lasten (%)"
              value={draft.socialChargesPct}
              onChange={(v) => setNorm({ socialChargesPct: v ?? '' })}
            />
            <DecimalField id="overhead" label="Overhead (%)" value={draft.overheadPct} onChange={(v) => setNorm({ overheadPct: v ?? '' })} />
            <DecimalField id="risico" label="Risico- en innovatieopslag (%)" value={draft.riskPct} onChange={(v) => setNorm({ riskPct: v ?? '' })} />
          </Fieldset>
          <Fieldset legend={`Product ${product.code}`}>
            <SelectField
              id="eenheid"
              label="Eenheid"
              value={product.unit}
              options={UNITS}
              onChange={(v) =>
                setProduct({ unit: v as TariffUnit, hoursPerUnit: v === 'etmaal' || v === 'dagdeel' ? (product.hoursPerUnit ?? '1') : product.hoursPerUnit })
              }
            />
            {(product.unit === 'dagdeel' || etmaal) && (
              <DecimalField
                id="uren-eenheid"
                label={etmaal ? 'Verblijfsintensiteit (uur per jeugdige per etmaal)' : 'Cliëntgebonden uren per dagdeel'}
                value={product.hoursPerUnit}
                onChange={(v) => setProduct({ hoursPerUnit: v })}
              />
            )}
            <FractionField
              id="productiviteit"
              label="Productiviteit (%)"
              value={product.productivity}
              onChange={(v) => setProduct({ productivity: v })}
              hint="cliëntgebonden uren als deel van de betaalde uren"
            />
            <MoneyField
              id="overige-kosten"
              label={`Overige cliëntgebonden kosten per ${product.unit === 'minuut' ? 'uur' : product.unit}`}
              cents={product.otherCentsPerUnit}
              onChange={(c) => setProduct({ otherCentsPerUnit: c })}
            />
            <DecimalField
              id="overhead-product"
              label="Overhead voor dit product (%)"
              optional
              value={product.overheadPct}
              onChange={(v) => setProduct({ overheadPct: v })}
              hint={`leeg = algemene norm (${draft.overheadPct.replace('.', ',')}%)`}
            />
            {etmaal && (
              <>
                <IntField
                  id="plaatsen"
                  label="Plaatsen per groep"
                  value={product.groupPlaces}
                  min={1}
                  max={50}
                  onChange={(n) => setProduct({ groupPlaces: n })}
                />
                <MoneyField
                  id="huisvesting"
                  label="Huisvesting per plaats per jaar"
                  cents={product.housingCentsPerPlacePerYear}
                  onChange={(c) => setProduct({ housingCentsPerPlacePerYear: c })}
                />
                <DecimalField
                  id="bezetting"
                  label="Bezettingsnorm (%)"
                  value={product.occupancyPct ?? '100'}
                  onChange={(v) => setProduct({ occupancyPct: v })}
                />
              </>
            )}
          </Fieldset>
          <Fieldset legend="Functiemix cliëntgebonden personeel">
            {product.mix.map((m, i) => (
              <div key={i} style={{ display: 'flex', gap: '0.75rem', alignItems: 'flex-end' }}>
                <SelectField
                  id={`mix-functie-${i}`}
                  label={`Functie ${i + 1}`}
                  value={m.functionId}
                  options={fnOptions}
                  onChange={(v) => setProduct({ mix: product.mix.map((x, j) => (j === i ? { ...x, functionId: v } : x)) })}
                />
                <FractionField
                  id={`mix-aandeel-${i}`}
                  label={`Aandeel functie ${i + 1} (%)`}
                  value={m.share}
                  onChange={(v) => setProduct({ mix: product.mix.map((x, j) => (j === i ? { ...x, share: v } : x)) })}
                />
              </div>
            ))}
            {etmaal &&
              (product.indirect ?? []).map((x, i) => (
                <div key={`i${i}`} style={{ display: 'flex', gap: '0.75rem', alignItems: 'flex-end' }}>
                  <SelectField
                    id={`indirect-functie-${i}`}
                    label={`Niet-cliëntgebonden functie ${i + 1}`}
                    value={x.functionId}
                    options={fnOptions}
                    onChange={(v) => setProduct({ indirect: product.indirect!.map((y, j) => (j === i ? { ...y, functionId: v } : y)) })}
                  />
                  <DecimalField
                    id={`indirect-fte-${i}`}
                    label="fte per groep"
                    value={x.ftePerGroup}
                    onChange={(v) => setProduct({ indirect: product.indirect!.map((y, j) => (j === i ? { ...y, ftePerGroup: v ?? '' } : y)) })}
                  />
                </div>
              ))}
          </Fieldset>
          <Fieldset legend="Salaris per functie (CAO-schaal en trede)">
            {used.map((id) => {
              const f = draft.functions.find((x) => x.id === id);
              if (!f) return null;
              return (
                <div key={id} style={{ display: 'flex', gap: '0.75rem', alignItems: 'flex-end', flexWrap: 'wrap' }}>
                  <SelectField
                    id={`schaal-${id}`}
                    label={`${f.name}: schaal`}
                    value={f.scale ?? ''}
                    options={draft.scales.map((s) => ({ value: s.scale, label: `schaal ${s.scale}` }))}
                    onChange={(v) => setFunction(id, { scale: v, hourlyWageCents: undefined })}
                  />
                  <IntField id={`trede-${id}`} label="trede" value={f.step} min={0} max={40} onChange={(n) => setFunction(id, { step: n })} />
                  <DecimalField id={`ort-${id}`} label="ORT (%)" value={f.irregularPct} onChange={(v) => setFunction(id, { irregularPct: v ?? '' })} />
                </div>
              );
            })}
          </Fieldset>
          {overview.canEdit && (
            <div style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
              <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={!changed || !!result?.error || save.isPending}>
                Opslaan als nieuwe versie
              </button>
              <button
                type="button"
                className="utrecht-button utrecht-button--secondary-action"
                disabled={!changed}
                onClick={() => setDraft(structuredClone(normSet.data!.body))}
              >
                Wijzigingen terugdraaien
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
              Opgeslagen als versie {save.data.version}.
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
              <TariffHeadline b={result.b} />
              <TariffBuildUp b={result.b} functions={false} caption={`Kostprijsopbouw ${product.code} ${product.name}, per ${result.b.costUnit}`} />
            </>
          )}
        </div>
      </div>
      {result?.b && <FunctionCosts b={result.b} />}
    </section>
  );
}
