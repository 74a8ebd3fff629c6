// Contracted providers of the region with the segments they are contracted for.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Me, type Provider, type RegionDetail } from '../api.ts';
import { formatCount } from '../format.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FilterBox, matches } from '../components/Filter.tsx';

export function ProvidersPage({ regionId }: { regionId: string; me: Me }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const providers = useQuery({ queryKey: ['providers', regionId], queryFn: () => api<Provider[]>(`/api/regions/${regionId}/providers`) });
  const [query, setQuery] = useState('');
  const segmentName = new Map((region.data?.segments ?? []).map((s) => [s.code, s.name]));
  const rows = (providers.data ?? []).filter((p) => matches(query, p.name, p.agbCode, ...p.segments.map((c) => segmentName.get(c))));
  return (
    <>
      <h1 className="utrecht-heading-1">Aanbieders en contracten</h1>
      <p className="utrecht-paragraph rk-muted">{region.data?.name} · gecontracteerde aanbieders</p>
      <div className="rk-filters"><FilterBox id="zoek-aanbieder" label="Zoeken op naam, AGB-code of segment" value={query} onChange={setQuery} /></div>
      {providers.isError && <div className="utrecht-alert utrecht-alert--error" role="alert">{providers.error.message}</div>}
      {providers.isPending && <p className="utrecht-paragraph" role="status">Aanbieders laden …</p>}
      {providers.data && (
        <DataTable rows={rows} rowKey={(p) => p.id} testId="tabel-aanbieders"
          caption={`${formatCount(rows.length)} van ${formatCount(providers.data.length)} aanbieders`}
          columns={[
            { key: 'name', header: 'Aanbieder', value: (p) => p.name },
            { key: 'agb', header: 'AGB-code', value: (p) => p.agbCode, render: (p) => <code>{p.agbCode}</code> },
            { key: 'type', header: 'Soort', value: (p) => p.providerType },
            { key: 'segments', header: 'Segmenten', value: (p) => p.segments.length, render: (p) => p.segments.map((c) => segmentName.get(c) ?? c).join(', ') },
          ]} />
      )}
    </>
  );
}
