export function FilterBox({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="rk-inline-field">
      <label className="utrecht-form-label" htmlFor={id}>
        {label}
      </label>
      <input id={id} type="search" className="utrecht-textbox utrecht-textbox--html-input" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** Case- and accent-insensitive match of all words in `query` against the given texts. */
export function matches(query: string, ...texts: (string | null | undefined)[]) {
  const norm = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
  const hay = norm(texts.filter(Boolean).join(' '));
  return norm(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}
