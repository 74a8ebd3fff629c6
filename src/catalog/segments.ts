// The segment tree of a region (segment.parent_id): one order and one notion of "in segment X" for every screen
// and filter. A product carries its leaf segment (Pleegzorg, Gezinshuis, Specialistisch wonen); choosing the parent
// (Wonen) must include them (issue 18: "0 van 17 producten").

export interface SegmentRow {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
}
export type SegmentNode<T extends SegmentRow = SegmentRow> = T & {
  /** 0 for a top segment, 1 for its sub-segments, … */
  depth: number;
  /** the top segment this one belongs to (itself when it is one) */
  topCode: string;
  topName: string;
  /** its own code and those of every segment below it */
  codes: string[];
};

/** The segments depth-first (a parent, then its sub-segments), keeping the given order among siblings. */
export function segmentTree<T extends SegmentRow>(rows: T[]): SegmentNode<T>[] {
  const children = new Map<number | null, T[]>();
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const parent = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null; // an orphan is shown at the top
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const out: SegmentNode<T>[] = [];
  const walk = (parent: number | null, depth: number, top: T | null, seen: Set<number>): string[] => {
    const codes: string[] = [];
    for (const r of children.get(parent) ?? []) {
      if (seen.has(r.id)) continue; // a cycle in the data must not hang a screen
      seen.add(r.id);
      const t = top ?? r;
      const node = { ...r, depth, topCode: t.code, topName: t.name, codes: [r.code] } as SegmentNode<T>;
      out.push(node);
      node.codes.push(...walk(r.id, depth + 1, t, seen));
      codes.push(...node.codes);
    }
    return codes;
  };
  walk(null, 0, null, new Set());
  return out;
}

/** The codes a filter on `code` selects: the segment and every segment below it (empty when unknown). */
export function codesUnder(rows: SegmentRow[], code: string): Set<string> {
  return new Set(segmentTree(rows).find((s) => s.code === code)?.codes ?? []);
}
