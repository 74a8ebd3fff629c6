// Kostenverantwoording bij reële nacalculatie: per contract on real costs the provider's cost statement of the year
// (its lines per cost category, eligible or not), beside the ceiling and the advances, and where it settles. The
// provider (or the region) enters a line or imports the statement as CSV (all or nothing, errors per line); a
// municipality reads the region's contracts; a provider only its own (the API's scope).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type FundingCostStatement, type FundingCostStatements, type Me } from '../api.ts';
import { formatCount, formatEuro, formatEuroCents } from '../format.ts';
import { DataTable } from '../components/DataTable.tsx';
import { CsvImport } from '../components/CsvImport.tsx';

export function FundingCostsView({ regionId, year, me }: { regionId: string; year: number; me: Me }) {
  const list = useQuery({
    queryKey: ['funding', regionId, 'cost-lines', year],
    queryFn: () => api<FundingCostStatements>(`/api/regions/${regionId}/funding/cost-lines?year=${year}`),
  });
  const contracts = list.data?.contracts ?? [];
  const canWrite = me.role === 'regio' || me.role === 'aanbieder';
  const open = contracts.filter((c) => c.closedOn === null);
  return (
    <>
      <p className="utrecht-paragraph">
        Bij reële nacalculatie betaalt de regio voorschotten; na afloop verantwoordt de aanbieder zijn werkelijke kosten per kostencategorie. De subsidiabele
        kosten tot het plafond zijn de uitkomst; de afrekening is uitkomst min betaalde voorschotten. Is de jaarafrekening gesloten, dan kan er niets meer bij.
      </p>
      {list.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {list.error.message}
        </div>
      )}
      {list.isPending && (
        <p className="utrecht-paragraph" role="status">
          Kostenverantwoordingen laden …
        </p>
      )}
      {list.data && contracts.length === 0 && (
        <div className="utrecht-alert utrecht-alert--info" role="status" data-testid="kosten-geen">
          <p className="utrecht-paragraph">
            {me.role === 'aanbieder' ? 'U heeft' : 'De regio heeft'} in {year} geen contracten op reële nacalculatie.
          </p>
        </div>
      )}
      {contracts.map((c) => (
        <CostStatementCard key={c.contractId} c={c} year={year} />
      ))}
      {canWrite && open.length > 0 && <CostLineEntry regionId={regionId} year={year} contracts={open} />}
      {canWrite && contracts.length > 0 && (
        <CsvImport
          id="kosten-csv"
          title="Kostenverantwoording inlezen (CSV)"
          url={`/api/regions/${regionId}/funding/cost-lines/import`}
          invalidate={['funding', regionId]}
          done={(n) => `${formatCount(n)} kostenregels ingelezen.`}
          testId="kosten-import"
        >
          <p className="utrecht-paragraph">
            Kolommen: <code>contract;jaar;categorie;bedrag (euro);subsidiabel</code> (subsidiabel: ja of nee, leeg is ja; decimale komma). Contracten:{' '}
            {contracts.map((c) => `${c.contractId} (${c.segmentName})`).join(', ')}. Bij één fout wordt niets opgeslagen; de fouten staan per regel.
          </p>
        </CsvImport>
      )}
    </>
  );
}

function CostStatementCard({ c, year }: { c: FundingCostStatement; year: number }) {
  const id = `kosten-${c.contractId}`;
  return (
    <section className="rk-section rk-card" aria-labelledby={`kop-${id}`} data-testid="kostenverantwoording">
      <h2 id={`kop-${id}`} className="utrecht-heading-2">
        {c.providerName} · {c.segmentName} (contract {c.contractId})
      </h2>
      <dl className="rk-kpis" aria-label={`Reële nacalculatie ${year}, contract ${c.contractId}`}>
        <div className="rk-kpi">
          <dt>Plafond</dt>
          <dd>{formatEuro(c.ceilingCents)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Voorschotten betaald</dt>
          <dd>{formatEuro(c.advancesPaidCents)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Subsidiabele kosten</dt>
          <dd data-testid="kosten-subsidiabel">{formatEuro(c.eligibleCents)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>Uitkomst</dt>
          <dd>{formatEuro(c.outcomeCents)}</dd>
        </div>
        <div className="rk-kpi">
          <dt>{c.settlementCents >= 0 ? 'Nog te betalen' : 'Terug te vorderen'}</dt>
          <dd data-testid="kosten-saldo">{formatEuro(Math.abs(c.settlementCents))}</dd>
        </div>
      </dl>
      <p className="utrecht-paragraph rk-muted" data-testid="kosten-status">
        {c.closedOn
          ? `Jaarafrekening ${year} gesloten op ${c.closedOn}: een correctie is een nieuwe afrekening.`
          : `Jaar ${year} is open: kostenregels kunnen nog worden toegevoegd.`}
      </p>
      {c.warnings.length > 0 && (
        <div className="utrecht-alert utrecht-alert--warning" role="status">
          {c.warnings.map((w) => (
            <p key={w} className="utrecht-paragraph">
              {w}
            </p>
          ))}
        </div>
      )}
      {c.lines.length > 0 && (
        <DataTable
          rows={c.lines}
          rowKey={(l) => l.id}
          testId="tabel-kostenregels"
          caption={`${formatCount(c.lines.length)} kostenregels; niet subsidiabel: ${formatEuroCents(c.ineligibleCents)}`}
          columns={[
            { key: 'category', header: 'Kostencategorie', value: (l) => l.category },
            { key: 'amount', header: 'Bedrag', numeric: true, value: (l) => l.amountCents, render: (l) => formatEuroCents(l.amountCents) },
            { key: 'eligible', header: 'Subsidiabel', value: (l) => (l.eligible ? 'ja' : 'nee') },
            { key: 'entered', header: 'Ingevoerd op', value: (l) => l.enteredAt.slice(0, 10) },
          ]}
        />
      )}
    </section>
  );
}

function CostLineEntry({ regionId, year, contracts }: { regionId: string; year: number; contracts: FundingCostStatement[] }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string; errors?: string[] } | null>(null);
  const submit = async (form: HTMLFormElement) => {
    const f = new FormData(form);
    const text = String(f.get('bedrag') ?? '').trim();
    const euros = /^\d{1,3}(\.\d{3})*(,\d{1,2})?$|^\d+(,\d{1,2})?$/.test(text) ? Number(text.replace(/\./g, '').replace(',', '.')) : Number.NaN;
    if (!Number.isFinite(euros)) {
      setMessage({ ok: false, text: `Bedrag: '${text}' is geen bedrag in euro's (bv. 12.500,00).` });
      return;
    }
    try {
      await api(`/api/regions/${regionId}/funding/cost-lines`, {
        method: 'POST',
        json: {
          contractId: Number(f.get('contract')),
          year,
          lines: [{ category: String(f.get('categorie') ?? '').trim(), amountCents: Math.round(euros * 100), eligible: f.get('subsidiabel') === 'ja' }],
        },
      });
      setMessage({ ok: true, text: 'Kostenregel opgeslagen.' });
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['funding', regionId] });
    } catch (e) {
      setMessage({
        ok: false,
        text: e instanceof ApiError ? e.message : 'Opslaan mislukt',
        errors: e instanceof ApiError ? e.fields.map((x) => `${x.field}: ${x.detail}`) : undefined,
      });
    }
  };
  return (
    <section className="rk-section rk-card" aria-labelledby="kop-kostenregel">
      <h2 id="kop-kostenregel" className="utrecht-heading-2">
        Kostenregel invoeren ({year})
      </h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
        data-testid="kostenregel-form"
      >
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="kost-contract">
            Contract
          </label>
          <select id="kost-contract" name="contract" className="utrecht-select utrecht-select--html-select">
            {contracts.map((c) => (
              <option key={c.contractId} value={c.contractId}>
                {c.providerName} · {c.segmentName} (contract {c.contractId})
              </option>
            ))}
          </select>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="kost-categorie">
            Kostencategorie
          </label>
          <input id="kost-categorie" name="categorie" className="utrecht-textbox" maxLength={60} required placeholder="bijvoorbeeld personeel" />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="kost-bedrag">
            Bedrag (euro)
          </label>
          <input id="kost-bedrag" name="bedrag" className="utrecht-textbox" inputMode="decimal" required />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="kost-subsidiabel">
            Subsidiabel
          </label>
          <select id="kost-subsidiabel" name="subsidiabel" className="utrecht-select utrecht-select--html-select" defaultValue="ja">
            <option value="ja">ja</option>
            <option value="nee">nee (bijvoorbeeld representatie)</option>
          </select>
        </div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action">
          Opslaan
        </button>
      </form>
      {message && (
        <div
          className={`utrecht-alert ${message.ok ? 'utrecht-alert--ok' : 'utrecht-alert--error'}`}
          role={message.ok ? 'status' : 'alert'}
          data-testid="kostenregel-melding"
        >
          <p className="utrecht-paragraph">{message.text}</p>
          {message.errors && message.errors.length > 0 && (
            <ul>
              {message.errors.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
