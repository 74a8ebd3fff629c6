// A tariff's build-up, step by step, as the model returns it: every step with its explanation and amount, the
// steps adding up to the tariff, the AMvB category of each, and what each function costs.
import { useMemo } from 'react';
import type { BuildUp } from '../api.ts';
import { formatEuroCents } from '../format.ts';
import { Chart, PALETTE } from './Chart.tsx';
import { CATEGORY_NAMES, type Category } from '../../../src/tariffs/model.ts';

const UNIT: Record<string, string> = { uur: 'uur', minuut: 'minuut', dagdeel: 'dagdeel', etmaal: 'etmaal' };
const euro4 = (exactCents: string) => `€ ${(Number(exactCents) / 100).toLocaleString('nl-NL', { minimumFractionDigits: 4, maximumFractionDigits: 4 })}`;

/** The headline: the tariff per unit, announced to screen readers when it changes. */
export function TariffHeadline({ b, testId = 'tarief' }: { b: BuildUp; testId?: string }) {
  return (
    <p className="rk-kpi" style={{ margin: '0 0 1rem' }} aria-live="polite">
      <span className="rk-muted" style={{ display: 'block', fontSize: '0.9rem' }}>
        Tarief {b.code} per {UNIT[b.unit]}
      </span>
      <strong style={{ fontSize: '1.8rem' }} data-testid={testId}>
        {formatEuroCents(b.tariffCents)}
      </strong>
      {b.unit === 'minuut' && <span className="rk-muted"> (uurtarief {formatEuroCents(b.totalCents)} / 60, afgerond)</span>}
    </p>
  );
}

export function TariffBuildUp({ b, caption, chart = true, functions = true }: { b: BuildUp; caption: string; chart?: boolean; functions?: boolean }) {
  const option = useMemo(
    () => ({
      grid: { left: 220, right: 30, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => formatEuroCents(Math.round(v * 100)) },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `€ ${v}` } },
      yAxis: { type: 'category', inverse: true, data: b.steps.map((s) => s.label) },
      series: [{ type: 'bar', name: 'Bedrag', data: b.steps.map((s, i) => ({ value: s.cents / 100, itemStyle: { color: PALETTE[i % PALETTE.length] } })) }],
    }),
    [b],
  );
  return (
    <>
      {chart && (
        <Chart
          option={option}
          height={60 + 30 * b.steps.length}
          testId="grafiek-opbouw"
          label={`Staafdiagram van de kostprijsopbouw van ${b.code}: ${b.steps.map((s) => `${s.label} ${formatEuroCents(s.cents)}`).join(', ')}; de tabel eronder bevat dezelfde bedragen`}
        />
      )}
      <div className="rk-table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="utrecht-table" data-testid="tabel-opbouw">
          <caption className="utrecht-table__caption">{caption}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">
                Stap
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Toelichting
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Categorie (art. 2.3 Besluit Jeugdwet)
              </th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">
                Bedrag per {UNIT[b.costUnit]}
              </th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {b.steps.map((s) => (
              <tr className="utrecht-table__row" key={s.key} data-step={s.key}>
                <th scope="row" className="utrecht-table__cell">
                  {s.label}
                </th>
                <td className="utrecht-table__cell" style={{ maxWidth: '38rem' }}>
                  {s.explanation}
                </td>
                <td className="utrecht-table__cell">{CATEGORY_NAMES[s.category as Category] ?? s.category}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric" title={`exact ${euro4(s.exactCents)}`}>
                  {formatEuroCents(s.cents)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot className="utrecht-table__footer">
            <tr className="utrecht-table__row rk-total">
              <th scope="row" className="utrecht-table__cell" colSpan={3}>
                Tarief per {UNIT[b.costUnit]}
              </th>
              <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatEuroCents(b.totalCents)}</td>
            </tr>
            {b.unit === 'minuut' && (
              <tr className="utrecht-table__row rk-total">
                <th scope="row" className="utrecht-table__cell" colSpan={3}>
                  Tarief per minuut (uurtarief / 60, afgerond op centen; iJW IV081)
                </th>
                <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatEuroCents(b.tariffCents)}</td>
              </tr>
            )}
          </tfoot>
        </table>
      </div>
      <p className="utrecht-paragraph rk-muted" style={{ fontSize: '0.9rem' }}>
        Exact (zonder afronding): {euro4(b.exactCents)}. De directe kosten worden één keer op centen afgerond, overhead ({b.overheadPct.replace('.', ',')}%) en
        risico-opslag ({b.riskPct.replace('.', ',')}%) elk ook; het tarief wijkt daardoor hooguit{' '}
        {Number(b.boundCents).toLocaleString('nl-NL', { maximumFractionDigits: 4 })} cent af van de exacte waarde.
      </p>
      {functions && <FunctionCosts b={b} />}
    </>
  );
}

/** What each function costs: salary → allowances → social charges → per paid hour. */
export function FunctionCosts({ b }: { b: BuildUp }) {
  if (!b.functions.length) return null;
  return (
    <div className="rk-table-scroll" tabIndex={0} role="region" aria-label="Loonkosten per functie">
      <table className="utrecht-table utrecht-table--alternate-row-color" data-testid="tabel-functies">
        <caption className="utrecht-table__caption">Loonkosten per functie: salaris → toeslagen → sociale lasten → per betaald uur</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {[
              'Functie',
              'Basis',
              'Maandsalaris',
              'Jaarsalaris',
              'Vakantiegeld',
              'Eindejaarsuitkering',
              'ORT',
              'Sociale lasten',
              'Werkgeverslasten per jaar',
              'Per betaald uur',
            ].map((h, i) => (
              <th key={h} scope="col" className={`utrecht-table__header-cell${i >= 2 ? ' utrecht-table__header-cell--numeric' : ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {b.functions.map((f) => (
            <tr className="utrecht-table__row" key={f.functionId}>
              <th scope="row" className="utrecht-table__cell">
                {f.name}
              </th>
              <td className="utrecht-table__cell">{f.basis}</td>
              {[f.monthlySalary, f.annualSalary, f.holidayPay, f.yearEndBonus, f.irregular, f.socialCharges, f.employerCostPerYear, f.perPaidHour].map(
                (v, i) => (
                  <td key={i} className="utrecht-table__cell utrecht-table__cell--numeric">
                    {formatEuroCents(Math.round(Number(v)))}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
