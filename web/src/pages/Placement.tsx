// The coordination point (coördinatiepunt): places and their availability, registrations with matching,
// waiting times and flows. What a role sees follows its scope; the screen updates itself when availability
// changes (server-sent events from /api/regions/:id/placement/events).
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Me } from '../api.ts';
import { useSearchParam } from '../router.tsx';
import { useVocabulary } from './PlacementShared.tsx';
import { PlacesTab, AvailabilityForm } from './PlacementPlaces.tsx';
import { RequestsTab, RegisterForm } from './PlacementRequests.tsx';
import { WaitingTab, PublishedTab, SettingsTab } from './PlacementWaiting.tsx';

type TabKey = 'plekken' | 'doorgeven' | 'aanvragen' | 'aanmelden' | 'wachttijden' | 'aanbieders' | 'instellingen';
const TABS: { key: TabKey; label: (me: Me) => string; roles: Me['role'][] }[] = [
  { key: 'doorgeven', label: () => 'Beschikbaarheid doorgeven', roles: ['aanbieder'] },
  { key: 'plekken', label: (me) => (me.role === 'aanbieder' ? 'Mijn groepen' : 'Plekken'), roles: ['regio', 'gemeente', 'aanbieder', 'coordinator'] },
  { key: 'aanvragen', label: (me) => (me.role === 'aanbieder' ? 'Aanbiedingen' : 'Aanvragen'), roles: ['coordinator', 'gemeente', 'aanbieder'] },
  { key: 'aanmelden', label: () => 'Aanmelden', roles: ['coordinator', 'gemeente'] },
  { key: 'wachttijden', label: () => 'Wachttijden en stromen', roles: ['regio', 'gemeente', 'coordinator'] },
  { key: 'aanbieders', label: () => 'Wachttijden aanbieders', roles: ['regio', 'gemeente', 'aanbieder', 'coordinator'] },
  { key: 'instellingen', label: () => 'Instellingen', roles: ['regio'] },
];

export function PlacementPage({ regionId, me }: { regionId: string; me: Me }) {
  const [tabParam, setTab] = useSearchParam('tab');
  const tabs = TABS.filter((t) => t.roles.includes(me.role));
  const tab = tabs.find((t) => t.key === tabParam) ?? tabs[0];
  const live = useLive(regionId);
  const vocabulary = useVocabulary();
  return (
    <>
      <div className="rk-page-head">
        <div>
          <h1 className="utrecht-heading-1">Coördinatiepunt Wonen en Verblijf</h1>
          <p className="utrecht-paragraph rk-muted">
            Plekken en hun beschikbaarheid, één aanvraag per jeugdige, matching en wachttijden. <LiveStatus live={live} />
          </p>
        </div>
      </div>
      <nav aria-label="Onderdelen van het coördinatiepunt" style={tabBar}>
        {tabs.map((t) => (
          <a
            key={t.key}
            href={`?tab=${t.key}`}
            aria-current={t.key === tab.key ? 'page' : undefined}
            style={t.key === tab.key ? { ...tabStyle, ...tabActive } : tabStyle}
            onClick={(e) => {
              e.preventDefault();
              setTab(t.key);
            }}
          >
            {t.label(me)}
          </a>
        ))}
      </nav>
      {vocabulary.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {vocabulary.error.message}
        </div>
      )}
      {vocabulary.data && (
        <div>
          {tab.key === 'plekken' && <PlacesTab regionId={regionId} me={me} v={vocabulary.data} changed={live.changed} />}
          {tab.key === 'doorgeven' && <AvailabilityForm regionId={regionId} me={me} v={vocabulary.data} />}
          {tab.key === 'aanvragen' && <RequestsTab regionId={regionId} me={me} v={vocabulary.data} />}
          {tab.key === 'aanmelden' && <RegisterForm regionId={regionId} me={me} v={vocabulary.data} />}
          {tab.key === 'wachttijden' && <WaitingTab regionId={regionId} />}
          {tab.key === 'aanbieders' && <PublishedTab regionId={regionId} me={me} v={vocabulary.data} />}
          {tab.key === 'instellingen' && <SettingsTab regionId={regionId} />}
        </div>
      )}
    </>
  );
}

const tabBar: CSSProperties = { display: 'flex', gap: '0.25rem', flexWrap: 'wrap', borderBottom: '2px solid #d0d5dd', margin: '1rem 0 1.5rem' };
const tabStyle: CSSProperties = {
  padding: '0.6rem 1rem',
  color: '#1d2939',
  textDecoration: 'none',
  borderBottom: '4px solid transparent',
  marginBottom: '-2px',
};
const tabActive: CSSProperties = { borderBottomColor: '#1b4f9c', fontWeight: 700, color: '#1b4f9c' };

interface Live {
  connected: boolean;
  lastEventAt: string | null;
  changed: Set<number>;
}

/** Listens to the region's change stream; every change refetches the placement queries (debounced). */
function useLive(regionId: string): Live {
  const queryClient = useQueryClient();
  const [state, setState] = useState<Live>({ connected: false, lastEventAt: null, changed: new Set() });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const source = new EventSource(`/api/regions/${regionId}/placement/events`);
    const onChange = (e: MessageEvent) => {
      const event = JSON.parse(e.data) as { groupId?: number; at: string };
      setState((s) => ({ ...s, lastEventAt: event.at, changed: event.groupId ? new Set([...s.changed, event.groupId]) : s.changed }));
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => queryClient.invalidateQueries({ queryKey: ['placement', regionId] }), 250);
    };
    source.addEventListener('availability', onChange);
    source.addEventListener('request', onChange);
    source.onopen = () => setState((s) => ({ ...s, connected: true }));
    source.onerror = () => setState((s) => ({ ...s, connected: false }));
    return () => {
      source.close();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [regionId]);
  return state;
}

function LiveStatus({ live }: { live: Live }) {
  return (
    <span role="status" data-testid="live-status" style={{ marginLeft: '0.5rem' }}>
      <span aria-hidden="true" style={{ color: live.connected ? '#1e6b34' : '#8a4b00' }}>
        ●
      </span>{' '}
      {live.connected ? 'Live bijgewerkt' : 'Live verbinding wordt gemaakt …'}
      {live.lastEventAt && <> · laatste wijziging {new Date(live.lastEventAt).toLocaleTimeString('nl-NL')}</>}
    </span>
  );
}
