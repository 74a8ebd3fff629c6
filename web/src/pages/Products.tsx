// The product book on a reference date: each product with the tariff valid that day.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Me, type Product, type RegionDetail } from '../api.ts';
import { formatCount, formatDate, formatEuroCents } from '../format.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FilterBox, matches } from '../components/Filter.tsx';
import { SegmentSelect, inSegment } from '../components/SegmentSelect.tsx';

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
  const segments = region.data?.segments ?? [];
  const rows = (products.data ?? []).filter(
    (p) => inSegment(segments, segment, p.segmentCode) && matches(query, p.code, p.categoryCode, p.name, p.productGroup, p.segmentName),
  );

  return (
    <>
      <h1 className="utrecht-heading-1">Productenboek</h1>
      <p className="utrecht-paragraph rk-muted">
        {region.data?.name} · producten en tarieven die gelden op {validDate ? formatDate(date) : '…'}
      </p>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="peildatum">
            Peildatum
          </label>
          <input id="peildatum" type="date" className="utrecht-textbox utrecht-textbox--html-input" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <SegmentSelect id="segment" label="Segment" segments={segments} value={segment} onChange={setSegment} />
        <FilterBox id="zoek-product" label="Zoeken" value={query} onChange={setQuery} />
      </div>
      {products.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {products.error.message}
        </div>
      )}
      {products.isPending && validDate && (
        <p className="utrecht-paragraph" role="status">
          Producten laden …
        </p>
      )}
      {products.data && (
        <DataTable
          rows={rows}
          rowKey={(p) => p.id}
          testId="tabel-producten"
          caption={`${formatCount(rows.length)} van ${formatCount(products.data.length)} producten`}
          columns={[
            {
              key: 'code',
              header: 'Productcode',
              value: (p) => `${p.categoryCode}-${p.code}`,
              render: (p) => (
                <code>
                  {p.categoryCode} {p.code}
                </code>
              ),
            },
            { key: 'name', header: 'Omschrijving', value: (p) => p.name },
            {
              key: 'segment',
              header: 'Segment',
              value: (p) => p.segmentName,
              render: (p) =>
                p.topSegmentName && p.topSegmentName !== p.segmentName ? (
                  <>
                    {p.topSegmentName} <span className="rk-muted">› {p.segmentName}</span>
                  </>
                ) : (
                  p.segmentName
                ),
            },
            { key: 'group', header: 'Productgroep', value: (p) => p.productGroup },
            { key: 'unit', header: 'Eenheid', value: (p) => p.unitName },
            {
              key: 'tariff',
              header: 'Tarief',
              numeric: true,
              value: (p) => p.tariffCents,
              render: (p) => (p.tariffCents === null ? 'geen tarief' : formatEuroCents(p.tariffCents)),
            },
            { key: 'from', header: 'Geldig vanaf', value: (p) => p.tariffValidFrom, render: (p) => (p.tariffValidFrom ? formatDate(p.tariffValidFrom) : '–') },
          ]}
        />
      )}
    </>
  );
}
