// One segment tree in every filter: the region's segments as the server orders them (src/catalog/segments.ts: a
// parent, then its sub-segments, indented), and one rule for "in segment X": the segment or any below it.
import type { Segment } from '../api.ts';

/** True when `code` (a product's or row's segment) lies in the chosen segment or below it; no choice selects all. */
export function inSegment(segments: Segment[], chosen: string, code: string | null | undefined): boolean {
  if (!chosen) return true;
  const node = segments.find((s) => s.code === chosen);
  return node ? node.codes.includes(code ?? '') : chosen === code;
}

/**
 * A select of the segment tree. `maxDepth` 0 offers only the top segments, for a filter whose server side groups by
 * top segment (the dashboard's costs).
 */
export function SegmentSelect({
  id,
  label,
  segments,
  value,
  onChange,
  maxDepth = Infinity,
}: {
  id: string;
  label: string;
  segments: Segment[];
  value: string;
  onChange: (code: string) => void;
  maxDepth?: number;
}) {
  return (
    <div className="rk-inline-field">
      <label className="utrecht-form-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="utrecht-select utrecht-select--html-select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Alle segmenten</option>
        {segments
          .filter((s) => s.depth <= maxDepth)
          .map((s) => (
            <option key={s.code} value={s.code}>
              {'\u00a0\u00a0\u00a0'.repeat(s.depth)}
              {s.depth > 0 ? '↳ ' : ''}
              {s.name}
              {s.codes.length > 1 && maxDepth > 0 ? ' (alle)' : ''}
            </option>
          ))}
      </select>
    </div>
  );
}
