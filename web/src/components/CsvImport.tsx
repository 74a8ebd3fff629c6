// Uploads one CSV file to an import route that is all or nothing, and shows what happened: the number of rows
// read, or the server's errors per line and field. Used by every CSV import of the app.
import { useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api.ts';

export function CsvImport({
  id,
  title,
  url,
  invalidate,
  done,
  children,
  testId,
}: {
  id: string;
  title: string;
  url: string;
  invalidate: unknown[];
  done: (imported: number) => string;
  children: ReactNode;
  testId?: string;
}) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string; errors?: { line?: number; field: string; detail: string }[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    setMessage(null);
    try {
      const r = await api<{ imported: number }>(url, { method: 'POST', body: await file.text(), headers: { 'content-type': 'text/csv' } });
      setMessage({ ok: true, text: done(r.imported) });
      await queryClient.invalidateQueries({ queryKey: invalidate });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? e.message : 'Inlezen mislukt', errors: e instanceof ApiError ? e.fields : undefined });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="rk-section rk-card" aria-labelledby={`kop-${id}`}>
      <h2 id={`kop-${id}`} className="utrecht-heading-2">
        {title}
      </h2>
      {children}
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-bestand`}>
          CSV-bestand
        </label>
        <input
          id={`${id}-bestand`}
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
            e.target.value = '';
          }}
        />
      </div>
      {busy && (
        <p className="utrecht-paragraph" role="status">
          Bezig met inlezen …
        </p>
      )}
      {message && (
        <div
          className={`utrecht-alert ${message.ok ? 'utrecht-alert--ok' : 'utrecht-alert--error'}`}
          role={message.ok ? 'status' : 'alert'}
          data-testid={testId}
        >
          <p className="utrecht-paragraph">{message.text}</p>
          {message.errors && message.errors.length > 0 && (
            <ul>
              {message.errors.map((er, i) => (
                <li key={i}>
                  {er.line ? `Regel ${er.line}, ` : ''}
                  {er.field}: {er.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
