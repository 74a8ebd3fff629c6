// Providers and contracts: the register (list, a provider's details, create / edit / end), the import of the
// region's provider list, and names left unknown by a waiting-time import. What a role sees follows its scope:
// the region edits everything, a provider its own, a municipality reads the providers serving its residents.
import { useState, type CSSProperties } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Me, type Provider, type RegionDetail } from '../api.ts';
import { formatCount } from '../format.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FilterBox, matches } from '../components/Filter.tsx';
import { useRouter } from '../router.tsx';
import { ProviderCreateForm, ProviderDetailPanel } from './ProviderRegister.tsx';
import { ProviderImportPanel, PendingNamesPanel } from './ProviderImport.tsx';
import { AdmissionPanel } from './Admission.tsx';

const TYPE_LABELS: Record<string, string> = { systeemaanbieder: 'Systeemaanbieder', groot: 'Grote aanbieder', overig: 'Overige aanbieder' };
type TabKey = 'register' | 'toelating' | 'nieuw' | 'inlezen' | 'onbekend';
const TABS: { key: TabKey; label: string; roles: Me['role'][] }[] = [
  { key: 'register', label: 'Register', roles: ['regio', 'gemeente', 'aanbieder', 'coordinator'] },
  { key: 'toelating', label: 'Toelating (Open House)', roles: ['regio', 'gemeente', 'aanbieder'] },
  { key: 'nieuw', label: 'Nieuwe aanbieder', roles: ['regio'] },
  { key: 'inlezen', label: 'Lijst inlezen', roles: ['regio'] },
  { key: 'onbekend', label: 'Onbekende namen', roles: ['regio', 'coordinator'] },
];

export function ProvidersPage({ regionId, me }: { regionId: string; me: Me }) {
  const { path, navigate } = useRouter();
  const [pathname, search = ''] = path.split('?');
  const params = new URLSearchParams(search);
  const tabParam = params.get('tab'),
    selected = params.get('aanbieder');
  const go = (tab: TabKey, provider?: number) => navigate(`${pathname}?tab=${tab}${provider ? `&aanbieder=${provider}` : ''}`);
  const setTab = (t: TabKey) => go(t);
  const tabs = TABS.filter((t) => t.roles.includes(me.role));
  const tab = tabs.find((t) => t.key === tabParam) ?? tabs[0];
  return (
    <>
      <h1 className="utrecht-heading-1">Aanbieders en contracten</h1>
      <nav aria-label="Tabbladen aanbiedersregister" style={tabBar}>
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
            {t.label}
          </a>
        ))}
      </nav>
      {tab.key === 'register' &&
        (selected ? (
          <ProviderDetailPanel regionId={regionId} me={me} providerId={Number(selected)} onBack={() => go('register')} />
        ) : (
          <RegisterList regionId={regionId} me={me} onOpen={(id) => go('register', id)} />
        ))}
      {tab.key === 'toelating' && <AdmissionPanel regionId={regionId} me={me} />}
      {tab.key === 'nieuw' && <ProviderCreateForm regionId={regionId} onCreated={(id) => go('register', id)} />}
      {tab.key === 'inlezen' && <ProviderImportPanel regionId={regionId} />}
      {tab.key === 'onbekend' && <PendingNamesPanel regionId={regionId} me={me} />}
    </>
  );
}

function RegisterList({ regionId, me, onOpen }: { regionId: string; me: Me; onOpen: (id: number) => void }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const providers = useQuery({ queryKey: ['providers', regionId], queryFn: () => api<Provider[]>(`/api/regions/${regionId}/providers`) });
  const [query, setQuery] = useState('');
  const [showEnded, setShowEnded] = useState(false);
  const segmentName = new Map((region.data?.segments ?? []).map((s) => [s.code, s.name]));
  const rows = (providers.data ?? []).filter(
    (p) => (showEnded || !p.ended) && matches(query, p.name, p.agbCode ?? '', p.kvkNumber ?? '', ...p.tradeNames, ...p.segments.map((c) => segmentName.get(c))),
  );
  const scopeText =
    me.role === 'aanbieder'
      ? 'uw eigen gegevens'
      : me.role === 'gemeente'
        ? 'de aanbieders die zorg leveren aan inwoners van uw gemeente'
        : 'alle aanbieders in het register van de regio';
  return (
    <>
      <p className="utrecht-paragraph rk-muted">
        {region.data?.name} · {scopeText}
      </p>
      <div className="rk-filters">
        <FilterBox id="zoek-aanbieder" label="Zoeken op naam, handelsnaam, AGB-code, KvK-nummer of segment" value={query} onChange={setQuery} />
        <div className="utrecht-form-field">
          <input id="toon-beeindigd" type="checkbox" checked={showEnded} onChange={(e) => setShowEnded(e.target.checked)} />{' '}
          <label className="utrecht-form-label" htmlFor="toon-beeindigd">
            Ook beëindigde aanbieders
          </label>
        </div>
      </div>
      {providers.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {providers.error.message}
        </div>
      )}
      {providers.isPending && (
        <p className="utrecht-paragraph" role="status">
          Aanbieders laden …
        </p>
      )}
      {providers.data && (
        <DataTable
          rows={rows}
          rowKey={(p) => p.id}
          testId="tabel-aanbieders"
          caption={`${formatCount(rows.length)} van ${formatCount(providers.data.length)} aanbieders`}
          columns={[
            {
              key: 'name',
              header: 'Aanbieder',
              value: (p) => p.name,
              render: (p) => (
                <a
                  href={`?tab=register&aanbieder=${p.id}`}
                  className="utrecht-link"
                  onClick={(e) => {
                    e.preventDefault();
                    onOpen(p.id);
                  }}
                >
                  {p.name}
                </a>
              ),
            },
            { key: 'agb', header: 'AGB-code', value: (p) => p.agbCode, render: (p) => (p.agbCode ? <code>{p.agbCode}</code> : '–') },
            { key: 'kvk', header: 'KvK-nummer', value: (p) => p.kvkNumber, render: (p) => (p.kvkNumber ? <code>{p.kvkNumber}</code> : '–') },
            { key: 'type', header: 'Soort', value: (p) => TYPE_LABELS[p.providerType] ?? p.providerType },
            {
              key: 'segments',
              header: 'Segmenten',
              value: (p) => p.segments.length,
              render: (p) => p.segments.map((c) => segmentName.get(c) ?? c).join(', ') || '–',
            },
            { key: 'locations', header: 'Locaties', numeric: true, value: (p) => p.locations },
            { key: 'places', header: 'Plaatsen', numeric: true, value: (p) => p.places },
            {
              key: 'status',
              header: 'Status',
              value: (p) => (p.validTo ? p.validTo : ''),
              render: (p) => (p.validTo ? `${p.ended ? 'beëindigd' : 'eindigt'} per ${p.validTo}` : 'actief'),
            },
          ]}
        />
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
