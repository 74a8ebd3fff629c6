/** CSV and XLSX links for one exported table (the server registers both for each table). */
export function Downloads({ path, query, what }: { path: string; query: string; what: string }) {
  return (
    <span className="rk-downloads">
      <a className="utrecht-link" href={`${path}.xlsx?${query}`} download>
        Download XLSX <span className="rk-visually-hidden">{what}</span>
      </a>
      <a className="utrecht-link" href={`${path}.csv?${query}`} download>
        Download CSV <span className="rk-visually-hidden">{what}</span>
      </a>
    </span>
  );
}
