// The product book on a reference date: each product with the tariff valid that day.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Me, type Product, type RegionDetail } from '../api.ts';
import { formatCount, formatDate, formatEuroCents } from '../format.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FilterBox, matches } from '../components/Filter.tsx';

export function ProductsPage({ regionId }: { regionId: string; me: Me }) {
  const region = useQuery({ queryKey: ['region', regionId], queryFn: () => api<RegionDetail>(`/api/regions/${regionId}`) });
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [query, setQuery] = useState('');
  const [segment, setSegment] = useState('');
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const products = useQuery({
    queryKey: ['products', regionId, date],
    queryFn: () => api<Product[]>(`/api/regions/${regionId}/products?date=${date}`),
    enabled: validDate,
  });
  const rows = (products.data ?? []).filter((p) => (!segment || p.segmentCode === segment) && matches(query, p.code, p.categoryCode, p.name, p.productGroup));
  const topSegments = (region.data?.segments ?? []).filter((s) => s.parentId === null);

  return (
    <>
      <h1 className="utrecht-heading-1">Productenboek</h1>
      <p className="utrecht-paragraph rk-muted">{region.data?.name} · producten en tarieven die gelden op {validDate ? formatDate(date) : '…'}</p>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="peildatum">Peildatum</label>
          <input id="peildatum" type="date" className="utrecht-textbox utrecht-textbox--html-input" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="segment">Segment</label>
          <select id="segment" className="utrecht-select utrecht-select--html-select" value={segment} onChange={(e) => setSegment(e.target.value)}>
            <option value="">Alle segmenten</option>
            {topSegments.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
          </select>
        </div>
        <FilterBox id="zoek-product" label="Zoeken" value={query} onChange={setQuery} />
      </div>
      {products.isError && <div className="utrecht-alert utrecht-alert--error" role="alert">{products.error.message}</div>}
      {products.isPending && validDate && <p className="utrecht-paragraph" role="status">Producten laden …</p>}
      {products.data && (
        <DataTable rows={rows} rowKey={(p) => p.id} testId="tabel-producten"
          caption={`${formatCount(rows.length)} van ${formatCount(products.data.length)} producten`}
          columns={[
            { key: 'code', header: 'Productcode', value: (p) => `${p.categoryCode}-${p.code}`, render: (p) => <code>{p.categoryCode} {p.code}</code> },
            { key: 'name', header: 'Omschrijving', value: (p) => p.name },
            { key: 'segment', header: 'Segment', value: (p) => p.segmentName },
            { key: 'group', header: 'Productgroep', value: (p) => p.productGroup },
            { key: 'unit', header: 'Eenheid', value: (p) => p.unitName },
            { key: 'tariff', header: 'Tarief', numeric: true, value: (p) => p.tariffCents, render: (p) => (p.tariffCents === null ? 'geen tarief' : formatEuroCents(p.tariffCents)) },
            { key: 'from', header: 'Geldig vanaf', value: (p) => p.tariffValidFrom, render: (p) => (p.tariffValidFrom ? formatDate(p.tariffValidFrom) : '–') },
          ]} />
      )}
    </>
  );
}
