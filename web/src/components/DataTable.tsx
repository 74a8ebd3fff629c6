// A sortable table in NL Design System style. Columns know how to show and how to sort their value.
import { useState, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  value: (row: T) => string | number | null;
  render?: (row: T) => ReactNode;
  numeric?: boolean;
  total?: ReactNode;
}

/**
 * `limit`: show at most this many rows (after sorting, so the largest stay in view); the caption says so.
 * `serverSort`: the rows are one page sorted by the server; a click on a header asks it for another order.
 */
export function DataTable<T>({
  rows,
  columns,
  caption,
  rowKey,
  initialSort,
  testId,
  limit,
  serverSort,
}: {
  rows: T[];
  columns: Column<T>[];
  caption: ReactNode;
  rowKey: (row: T) => string | number;
  initialSort?: { key: string; desc: boolean };
  testId?: string;
  limit?: number;
  serverSort?: { sort: { key: string; desc: boolean } | null; onSort: (s: { key: string; desc: boolean }) => void };
}) {
  const [localSort, setLocalSort] = useState(initialSort ?? null);
  const sort = serverSort ? serverSort.sort : localSort;
  const setSort = serverSort ? serverSort.onSort : setLocalSort;
  const col = !serverSort && sort && columns.find((c) => c.key === sort.key);
  const sorted = col
    ? [...rows].sort((a, b) => {
        const x = col.value(a),
          y = col.value(b);
        const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''), 'nl');
        return sort!.desc ? -r : r;
      })
    : rows;
  const shown = limit !== undefined && sorted.length > limit ? sorted.slice(0, limit) : sorted;
  const hasTotals = columns.some((c) => c.total !== undefined);
  return (
    <div className="rk-table-scroll">
      <table className="utrecht-table utrecht-table--alternate-row-color" data-testid={testId}>
        <caption className="utrecht-table__caption">
          {caption}
          {shown.length < sorted.length && (
            <>
              {' '}
              (de eerste {shown.length.toLocaleString('nl-NL')} van {sorted.length.toLocaleString('nl-NL')} getoond; sorteer op een kolom of download het
              geheel)
            </>
          )}
        </caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={`utrecht-table__header-cell${c.numeric ? ' utrecht-table__header-cell--numeric' : ''}`}
                  aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" className="rk-sort" onClick={() => setSort({ key: c.key, desc: active ? !sort!.desc : !!c.numeric })}>
                    {c.header}
                    <span aria-hidden="true">{active ? (sort!.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {shown.map((row) => (
            <tr className="utrecht-table__row" key={rowKey(row)}>
              {columns.map((c, i) => {
                const content = c.render ? c.render(row) : c.value(row);
                const cls = `utrecht-table__cell${c.numeric ? ' utrecht-table__cell--numeric' : ''}`;
                return i === 0 ? (
                  <th key={c.key} scope="row" className={cls}>
                    {content}
                  </th>
                ) : (
                  <td key={c.key} className={cls}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        {hasTotals && (
          <tfoot className="utrecht-table__footer">
            <tr className="utrecht-table__row rk-total">
              {columns.map((c, i) =>
                i === 0 ? (
                  <th key={c.key} scope="row" className="utrecht-table__cell">
                    {c.total ?? 'Totaal'}
                  </th>
                ) : (
                  <td key={c.key} className={`utrecht-table__cell${c.numeric ? ' utrecht-table__cell--numeric' : ''}`}>
                    {c.total ?? ''}
                  </td>
                ),
              )}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
