// Pieces the coordination point's screens share: the vocabulary, the traffic light, 'verouderd', sections.
import type { CSSProperties, ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Light, type PlacementVocabulary } from '../api.ts';
import { useRouter } from '../router.tsx';

export function useVocabulary() {
  return useQuery({ queryKey: ['placement-vocabulary'], queryFn: () => api<PlacementVocabulary>('/api/public/placement/vocabulary'), staleTime: Infinity });
}

const LIGHT_STYLE: Record<Light, CSSProperties> = {
  open: { background: '#1e6b34', color: '#fff' },
  limited: { background: '#8a4b00', color: '#fff' },
  closed: { background: '#a1181a', color: '#fff' },
};
export function LightBadge({ light, v }: { light: Light; v: PlacementVocabulary }) {
  return <span style={{ ...badge, ...LIGHT_STYLE[light] }}>{v.lights[light]}</span>;
}
export const badge: CSSProperties = {
  display: 'inline-block',
  padding: '0.1rem 0.5rem',
  borderRadius: '999px',
  fontSize: '0.85rem',
  fontWeight: 700,
  whiteSpace: 'nowrap',
};
export function StaleBadge() {
  return <span style={{ ...badge, background: '#fff3bf', color: '#5c3c00', border: '1px solid #8a6100' }}>verouderd</span>;
}

/** '3 uur geleden', '2 dagen geleden'. */
export function timeAgo(iso: string | null): string {
  if (!iso) return 'nooit doorgegeven';
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60_000));
  if (minutes < 2) return 'zojuist';
  if (minutes < 90) return `${minutes} minuten geleden`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} uur geleden`;
  return `${Math.round(hours / 24)} dagen geleden`;
}

export const label = (list: { code: string; label: string }[], code: string) => list.find((x) => x.code === code)?.label ?? code;

export function Section({ id, title, children, tools }: { id: string; title: string; children: ReactNode; tools?: ReactNode }) {
  return (
    <section className="rk-section" aria-labelledby={`kop-${id}`}>
      <div className="rk-section-head">
        <h2 id={`kop-${id}`} className="utrecht-heading-2">
          {title}
        </h2>
        {tools}
      </div>
      {children}
    </section>
  );
}

export function ErrorAlert({ error }: { error: Error | null }) {
  return error ? (
    <div className="utrecht-alert utrecht-alert--error" role="alert">
      <p className="utrecht-paragraph">{error.message}</p>
    </div>
  ) : null;
}

export const todayIso = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
export const useNavigateTab = () => {
  const { path, navigate } = useRouter();
  return (tab: string, extra: Record<string, string> = {}) => {
    const [pathname] = path.split('?');
    navigate(`${pathname}?${new URLSearchParams({ tab, ...extra })}`);
  };
};
