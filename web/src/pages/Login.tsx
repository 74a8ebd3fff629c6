import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type DemoAccount, type Me } from '../api.ts';

export function LoginPage() {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const demo = useQuery({
    queryKey: ['demo-accounts'],
    queryFn: () => api<DemoAccount[]>('/api/auth/demo-accounts').catch(() => [] as DemoAccount[]),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api<Me>('/api/auth/login', { method: 'POST', json: { username, password } });
      queryClient.setQueryData(['me'], me);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Inloggen mislukt: de server is niet bereikbaar');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="inhoud" className="rk-login">
      <h1 className="utrecht-heading-1">Regiekamer Jeugd</h1>
      <p className="utrecht-paragraph">Inkoop, bekostiging en sturing van jeugdhulp in de regio.</p>
      <form onSubmit={submit} className="rk-card" noValidate aria-labelledby="inloggen-kop">
        <h2 id="inloggen-kop" className="utrecht-heading-2">
          Inloggen
        </h2>
        {error && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            <p className="utrecht-paragraph">{error}</p>
          </div>
        )}
        <div className="utrecht-form-field utrecht-form-field--text">
          <label className="utrecht-form-label" htmlFor="gebruikersnaam">
            Gebruikersnaam
          </label>
          <input
            id="gebruikersnaam"
            className="utrecht-textbox utrecht-textbox--html-input"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="utrecht-form-field utrecht-form-field--text">
          <label className="utrecht-form-label" htmlFor="wachtwoord">
            Wachtwoord
          </label>
          <input
            id="wachtwoord"
            type="password"
            className="utrecht-textbox utrecht-textbox--html-input"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy || !username || !password} aria-busy={busy}>
          {busy ? 'Bezig met inloggen …' : 'Inloggen'}
        </button>
      </form>
      {demo.data && demo.data.length > 0 && (
        <section className="rk-card" aria-labelledby="demo-kop">
          <h2 id="demo-kop" className="utrecht-heading-2">
            Demo-accounts
          </h2>
          <p className="utrecht-paragraph">Deze omgeving draait in demomodus met gegenereerde gegevens. Kies een rol om de velden in te vullen.</p>
          <table className="utrecht-table">
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="col">
                  Gebruikersnaam
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Rol
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Wachtwoord
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  <span className="rk-visually-hidden">Actie</span>
                </th>
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {demo.data.map((a) => (
                <tr className="utrecht-table__row" key={a.username}>
                  <td className="utrecht-table__cell">
                    <code>{a.username}</code>
                  </td>
                  <td className="utrecht-table__cell">{a.description}</td>
                  <td className="utrecht-table__cell">
                    <code data-testid={`wachtwoord-${a.username}`}>{a.password}</code>
                  </td>
                  <td className="utrecht-table__cell">
                    <button
                      type="button"
                      className="utrecht-button utrecht-button--subtle"
                      onClick={() => {
                        setUsername(a.username);
                        setPassword(a.password);
                      }}
                    >
                      Gebruik <span className="rk-visually-hidden">{a.username}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
