// A provider's dossier: the agenda of the quarterly conversation (made from the figures Regiekamer holds) and the
// enforcement ladder with its dated steps and letters. The region climbs the ladder; the provider reads its own.
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Me } from '../api.ts';

interface Agenda { providerId: number; providerName: string; year: number; quarter: number; items: { topic: string; facts: string[] }[] }
interface Step { id: number; step: string; label: string; onDate: string; reason: string; remedyDays: number | null; segment: { code: string; name: string } | null; decidedBy: string; letter: boolean }
const LADDER: [string, string][] = [['waarschuwing', 'Waarschuwingsbrief'], ['ingebrekestelling', 'Ingebrekestelling'], ['clientenstop', 'Cliëntenstop'], ['ontbinding', 'Ontbinding'], ['overname', 'Contractovername']];
const input = 'utrecht-textbox utrecht-textbox--html-input';

export function ProviderDossier({ regionId, me, providerId }: { regionId: string; me: Me; providerId: number }) {
  const [when, setWhen] = useState<{ year: number; quarter: number } | null>(null);
  const agenda = useQuery({
    queryKey: ['agenda', regionId, providerId, when],
    queryFn: () => api<Agenda>(`/api/regions/${regionId}/providers/${providerId}/agenda${when ? `?year=${when.year}&quarter=${when.quarter}` : ''}`),
  });
  const [anchor, setAnchor] = useState<{ year: number; quarter: number } | null>(null); // the newest quarter with figures
  useEffect(() => { if (agenda.data && !anchor) setAnchor({ year: agenda.data.year, quarter: agenda.data.quarter }); }, [agenda.data, anchor]);
  const steps = useQuery({ queryKey: ['ladder', regionId, providerId], queryFn: () => api<Step[]>(`/api/regions/${regionId}/providers/${providerId}/enforcement`) });
  const queryClient = useQueryClient();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const next = LADDER[steps.data?.length ?? 0];
  const addStep = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api(`/api/regions/${regionId}/providers/${providerId}/enforcement`, { method: 'POST', json: {
        step: String(f.get('step')), onDate: String(f.get('onDate') ?? ''), reason: String(f.get('reason') ?? ''),
        remedyDays: f.get('remedyDays') ? Number(f.get('remedyDays')) : null,
      } });
      setMsg({ ok: true, text: 'Stap vastgelegd.' });
      await queryClient.invalidateQueries({ queryKey: ['ladder', regionId, providerId] });
      await queryClient.invalidateQueries({ queryKey: ['agenda', regionId, providerId] });
    } catch (err) { setMsg({ ok: false, text: err instanceof Error ? err.message : 'Mislukt' }); }
  };
  return (
    <>
      <h3 className="utrecht-heading-3">Kwartaalgesprek</h3>
      {agenda.isError && <div className="utrecht-alert utrecht-alert--error" role="alert">{agenda.error.message}</div>}
      {agenda.data && (
        <section className="rk-card" aria-labelledby="kop-agenda" data-testid="agenda">
          <h4 id="kop-agenda" className="utrecht-heading-4">Agenda K{agenda.data.quarter} {agenda.data.year}</h4>
          <div className="rk-filters">
            <div className="utrecht-form-field">
              <label className="utrecht-form-label" htmlFor="agenda-kwartaal">Kwartaal</label>
              <select id="agenda-kwartaal" className="utrecht-select" value={`${agenda.data.year}-${agenda.data.quarter}`}
                onChange={(e) => { const [y, q] = e.target.value.split('-').map(Number); setWhen({ year: y, quarter: q }); }}>
                {[0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
                  const a = anchor ?? agenda.data;
                  const n = a.year * 4 + a.quarter - 1 - i;
                  const y = Math.floor(n / 4), q = (n % 4) + 1;
                  return <option key={i} value={`${y}-${q}`}>{`K${q} ${y}`}</option>;
                })}
              </select>
            </div>
          </div>
          <ol>{agenda.data.items.map((item, i) => (
            <li key={i}><strong>{item.topic}</strong>{item.facts.length > 0 && <ul>{item.facts.map((f, j) => <li key={j}>{f}</li>)}</ul>}</li>
          ))}</ol>
        </section>
      )}
      <h3 className="utrecht-heading-3">Handhaving</h3>
      {steps.data && steps.data.length === 0 && <p className="utrecht-paragraph rk-muted">Geen stappen op de handhavingsladder.</p>}
      {steps.data && steps.data.length > 0 && (
        <ol data-testid="ladder">{steps.data.map((s) => (
          <li key={s.id}>{s.label} op {s.onDate} ({s.decidedBy}): {s.reason}{s.remedyDays ? `; termijn ${s.remedyDays} dagen` : ''}
            {s.letter && <> · <a className="utrecht-link" href={`/api/regions/${regionId}/providers/${providerId}/enforcement/${s.id}/letter.pdf`}>{`Brief ${s.label.toLowerCase()} (PDF)`}</a></>}</li>
        ))}</ol>
      )}
      {me.role === 'regio' && next && (
        <form className="rk-card" onSubmit={addStep} noValidate aria-label="Volgende stap op de handhavingsladder">
          <input type="hidden" name="step" value={next[0]} />
          <p className="utrecht-paragraph">Volgende stap: <strong>{next[1]}</strong></p>
          <div className="utrecht-form-field"><label className="utrecht-form-label" htmlFor="stap-datum">Datum</label><input id="stap-datum" name="onDate" type="date" className={input} /></div>
          <div className="utrecht-form-field"><label className="utrecht-form-label" htmlFor="stap-reden">Tekortkoming</label><input id="stap-reden" name="reason" className={input} /></div>
          {next[0] === 'ingebrekestelling' && <div className="utrecht-form-field"><label className="utrecht-form-label" htmlFor="stap-termijn">Termijn (dagen)</label><input id="stap-termijn" name="remedyDays" type="number" min={1} max={180} className={input} defaultValue={14} /></div>}
          {msg && <div className={`utrecht-alert utrecht-alert--${msg.ok ? 'ok' : 'error'}`} role={msg.ok ? 'status' : 'alert'}><p className="utrecht-paragraph">{msg.text}</p></div>}
          <div><button type="submit" className="utrecht-button utrecht-button--primary-action">{`${next[1]} vastleggen`}</button></div>
        </form>
      )}
    </>
  );
}
