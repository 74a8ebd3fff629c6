// The application shell: who is logged in, which region, and the navigation over the seven capabilities.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Me, type RegionSummary } from './api.ts';
import { Link, Router, useRouter } from './router.tsx';
import { LoginPage } from './pages/Login.tsx';
import { DashboardPage } from './pages/Dashboard.tsx';
import { ProductsPage } from './pages/Products.tsx';
import { ProvidersPage } from './pages/Providers.tsx';
import { NotYetPage } from './pages/NotYet.tsx';
import { TariffsPage } from './pages/Tariffs.tsx';
import { PlacementPage } from './pages/Placement.tsx';
import { PlacementPublicPage } from './pages/PlacementPublic.tsx';
import { MessagesPage } from './pages/Messages.tsx';
import { FundingPage } from './pages/Funding.tsx';

/** The seven capabilities of the brief, in the order a region works with them. */
export const SECTIONS: { path: string; title: string; page?: (p: { regionId: string; me: Me }) => ReactNode; summary: string }[] = [
  { path: 'monitoring', title: 'Monitoring', page: DashboardPage, summary: 'Kosten, personen en aanbieders per segment en gemeente.' },
  { path: 'productenboek', title: 'Productenboek', page: ProductsPage, summary: 'Producten van de regio met de tarieven die op een peildatum gelden.' },
  {
    path: 'rekentool',
    title: 'Rekentool tarieven',
    page: TariffsPage,
    summary: 'Kostprijsopbouw, verblijfsintensiteiten, indexatie en budgeteffect van tarieven.',
  },
  {
    path: 'berichten',
    title: 'Toewijzingen en declaraties',
    page: MessagesPage,
    summary: 'iJW 3.2-berichten lezen, toetsen aan de regels van de standaard, boeken en beantwoorden.',
  },
  { path: 'bekostiging', title: 'Bekostiging', page: FundingPage, summary: 'P*Q, output, lumpsum met bandbreedte, beschikbaarheidsfinanciering en budgetten.' },
  {
    path: 'coordinatiepunt',
    title: 'Coördinatiepunt',
    page: PlacementPage,
    summary: 'Beschikbare plekken, één aanvraag per jeugdige, matching en wachtlijsten.',
  },
  {
    path: 'aanbieders',
    title: 'Aanbieders en contracten',
    page: ProvidersPage,
    summary: 'Het aanbiedersregister: aanbieders, locaties en groepen opnemen, wijzigen en beëindigen; de lijst van de regio inlezen.',
  },
];

const ROLE_NAMES: Record<string, string> = { regio: 'regio', gemeente: 'gemeente', aanbieder: 'aanbieder', coordinator: 'coördinatiepunt' };

export function App() {
  if (location.pathname.startsWith('/openbaar')) return <PlacementPublicPage />; // the public page: no login, no personal data
  return (
    <Router>
      <Root />
    </Router>
  );
}

function Root() {
  const { path, navigate } = useRouter();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () =>
      api<Me>('/api/auth/me').catch((e) => {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }),
  });
  const onLogin = path.startsWith('/inloggen');
  useEffect(() => {
    if (me.data === null && !onLogin) navigate('/inloggen', { replace: true });
    if (me.data && onLogin) navigate('/', { replace: true });
  }, [me.data, onLogin]);

  if (me.isPending)
    return (
      <p className="utrecht-paragraph rk-loading" role="status">
        Laden …
      </p>
    );
  if (me.isError)
    return (
      <main className="rk-main">
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          De server is niet bereikbaar: {me.error.message}
        </div>
      </main>
    );
  if (!me.data) return onLogin ? <LoginPage /> : null;
  return <Shell me={me.data} />;
}

function Shell({ me }: { me: Me }) {
  const { path, navigate } = useRouter();
  const queryClient = useQueryClient();
  const regions = useQuery({ queryKey: ['regions'], queryFn: () => api<RegionSummary[]>('/api/regions') });
  const [, regionId, section] = path.split('?')[0].split('/');
  const list = regions.data ?? [];
  const region = list.find((r) => r.id === regionId);

  useEffect(() => {
    if (!list.length) return;
    if (!region) {
      const preferred = list.find((r) => r.id === 'twente') ?? list[0];
      navigate(`/${preferred.id}/monitoring`, { replace: true });
    } else if (!SECTIONS.some((s) => s.path === section)) navigate(`/${region.id}/monitoring`, { replace: true });
  }, [list.length, regionId, section]);

  const current = SECTIONS.find((s) => s.path === section);
  // On a narrow screen (below 800 px) the navigation and the header's tools fold away behind a menu button.
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setMenuOpen(false);
        menuButton.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  useEffect(() => {
    document.title = [current?.title, region?.name, 'Regiekamer Jeugd'].filter(Boolean).join(' · ');
  }, [current, region]);

  const logout = async () => {
    await api('/api/auth/logout', { method: 'POST' });
    queryClient.clear();
    navigate('/inloggen');
  };

  return (
    <div className={`rk-app${menuOpen ? ' rk-app--menu-open' : ''}`}>
      <a className="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
        Naar de inhoud
      </a>
      <header className="rk-header">
        <div className="rk-header__brand">
          <span className="rk-logo" aria-hidden="true">
            RJ
          </span>
          <span className="rk-header__title">Regiekamer Jeugd</span>
        </div>
        <button
          type="button"
          ref={menuButton}
          className="utrecht-button utrecht-button--secondary-action rk-menu-button"
          aria-expanded={menuOpen}
          aria-controls="rk-header-tools rk-nav"
          onClick={() => setMenuOpen(!menuOpen)}
          data-testid="menu-knop"
        >
          <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span> Menu
        </button>
        <div className="rk-header__tools" id="rk-header-tools">
          {list.length > 0 && (
            <div className="rk-inline-field">
              <label className="utrecht-form-label" htmlFor="regio-keuze">
                Regio
              </label>
              <select
                id="regio-keuze"
                className="utrecht-select utrecht-select--html-select"
                value={region?.id ?? ''}
                onChange={(e) => navigate(`/${e.target.value}/${current?.path ?? 'monitoring'}`)}
              >
                {list.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <span className="rk-user" data-testid="gebruiker">
            {me.displayName} <span className="rk-role">({ROLE_NAMES[me.role] ?? me.role})</span>
          </span>
          <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={logout}>
            Uitloggen
          </button>
        </div>
      </header>
      <div className="rk-body">
        <nav className="rk-nav" id="rk-nav" aria-label="Onderdelen">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.path}>
                <Link to={`/${region?.id ?? regionId}/${s.path}`} className="rk-nav__link">
                  {s.title}
                  {!s.page && <span className="rk-nav__soon"> (nog niet beschikbaar)</span>}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="inhoud" className="rk-main" tabIndex={-1}>
          {regions.isError && (
            <div className="utrecht-alert utrecht-alert--error" role="alert">
              {regions.error.message}
            </div>
          )}
          {region &&
            current &&
            (current.page ? (
              <current.page key={region.id} regionId={region.id} me={me} />
            ) : (
              <NotYetPage title={current.title} summary={current.summary} regionName={region.name} />
            ))}
        </main>
      </div>
    </div>
  );
}
