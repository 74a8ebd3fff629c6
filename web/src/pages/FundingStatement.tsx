// The year-end statement of one provider: per contract the calculation step by step, the totals, the closed (frozen)
// statements with their dates, the PDF letter, and for the region the button that closes the year.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type FundingStatements, type Me } from '../api.ts';
import { formatEuroCents } from '../format.ts';
import { FORM_NAMES, Steps } from './Funding.tsx';

export function FundingStatementView({ regionId, providerId, year, me }: { regionId: string; providerId: number; year: number; me: Me }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const st = useQuery({
    queryKey: ['funding', regionId, 'statement', providerId, year],
    queryFn: () => api<FundingStatements>(`/api/regions/${regionId}/funding/statements/${providerId}?year=${year}`),
  });
  const close = async () => {
    setError(null);
    try {
      await api(`/api/regions/${regionId}/funding/statements`, { method: 'POST', json: { providerId, year } });
      await queryClient.invalidateQueries({ queryKey: ['funding', regionId, 'statement', providerId, year] });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Afsluiten mislukt');
    }
  };
  const s = st.data;
  const shown = s?.closed[0]?.body ?? s?.live;
  return (
    <section className="rk-section rk-card" aria-labelledby="kop-afrekening" data-testid="afrekening">
      <div className="rk-section-head">
        <h2 id="kop-afrekening" className="utrecht-heading-2">
          Jaarafrekening {year}
          {shown ? `: ${shown.providerName}` : ''}
        </h2>
        <p className="utrecht-paragraph">
          <a className="utrecht-link" href={`/api/regions/${regionId}/funding/statements/${providerId}/pdf?year=${year}`} download>
            Afrekening als pdf
          </a>
          {' · '}
          <a className="utrecht-link" href={`/api/regions/${regionId}/funding/statements/${providerId}/xlsx?year=${year}`} download>
            als xlsx
          </a>
        </p>
      </div>
      {st.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {st.error.message}
        </div>
      )}
      {st.isPending && (
        <p className="utrecht-paragraph" role="status">
          Afrekening laden …
        </p>
      )}
      {s && shown && (
        <>
          <p className="utrecht-paragraph" data-testid="afrekening-status">
            {s.closed.length ? (
              <>
                Gesloten op {s.closed[0].closedAt.slice(0, 10)} (nr. {s.closed[0].id}
                {s.closed[0].supersedesId ? `, correctie op nr. ${s.closed[0].supersedesId}` : ''}). Een gesloten afrekening verandert niet meer; een correctie
                is een nieuwe, gedateerde afrekening.
              </>
            ) : (
              <>Voorlopig: het jaar is nog niet afgesloten. Berekend op {s.live.computedAt.slice(0, 10)}.</>
            )}
          </p>
          {shown.contracts.map((c) => (
            <div key={c.id}>
              <h3 className="utrecht-heading-3">
                {c.segmentName} · {FORM_NAMES[c.fundingForm] ?? c.fundingForm}
              </h3>
              <Steps steps={c.settlement.steps} />
            </div>
          ))}
          <p className="utrecht-paragraph">
            <strong>
              Totaal: {shown.totals.settlementCents >= 0 ? 'nog te betalen aan de aanbieder' : 'terug te vorderen'}{' '}
              {formatEuroCents(Math.abs(shown.totals.settlementCents))}
            </strong>
          </p>
          {s.closed.length > 0 && s.live.totals.settlementCents !== s.closed[0].settlementCents && (
            <div className="utrecht-alert utrecht-alert--warning" role="status">
              Na het afsluiten kwamen nieuwe gegevens binnen: de lopende berekening komt nu op {formatEuroCents(s.live.totals.settlementCents)}. Sluit opnieuw
              af voor een correctie.
            </div>
          )}
          {me.role === 'regio' && (
            <button type="button" className="utrecht-button utrecht-button--primary-action" onClick={() => void close()}>
              {s.closed.length ? 'Correctie vaststellen' : 'Jaar afsluiten'}
            </button>
          )}
          {error && (
            <div className="utrecht-alert utrecht-alert--error" role="alert">
              {error}
            </div>
          )}
        </>
      )}
    </section>
  );
}
