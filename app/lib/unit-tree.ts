/**
 * Units in real tree order — each unit followed by its children, siblings in Vietnamese
 * alphabetical order — with each one's level. Pure (shared by server and client pickers).
 */
const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export function compareVi(a: string, b: string): number {
  return collator.compare(a, b);
}

export function inTreeOrder<T extends { id: string; parent_id: string | null; name: string }>(
  units: readonly T[],
): Array<T & { level: number }> {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, T[]>();
  for (const u of units) {
    // A unit whose parent is not in the list (another tree, or filtered out) starts a root.
    const key = u.parent_id && ids.has(u.parent_id) ? u.parent_id : null;
    const list = children.get(key);
    if (list) list.push(u);
    else children.set(key, [u]);
  }
  for (const list of children.values()) list.sort((a, b) => compareVi(a.name, b.name));
  const out: Array<T & { level: number }> = [];
  const walk = (parent: string | null, level: number) => {
    for (const u of children.get(parent) ?? []) {
      out.push({ ...u, level });
      walk(u.id, level + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Nested nodes from a flat list with parent ids (tree order, Vietnamese collation). */
export function toNested<T extends { id: string; parent_id: string | null; name: string }>(
  units: readonly T[],
): Array<T & { children: Array<T & { children: unknown[] }> }> {
  type N = T & { children: N[] };
  const nodes = new Map<string, N>();
  for (const u of inTreeOrder(units)) nodes.set(u.id, { ...u, children: [] } as N);
  const roots: N[] = [];
  for (const n of nodes.values()) {
    const p = n.parent_id ? nodes.get(n.parent_id) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  return roots as never;
}
