import { inForce } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';

/**
 * Maps any unit to the unit that stood for it in the tree in force on a date, so that a figure
 * recorded against today's unit adds up under the tree of the Week it belongs to:
 * - a unit in force that day is itself;
 * - a unit created later stands for what it was made from: its predecessors (lineage), or, when
 *   several merged, the lowest unit that held all of them that day (Phường Hà Đông, made from
 *   Biên Giang and Vạn Phúc in 2025, counts at Quận Hà Đông for a 2024 Week); a unit created from
 *   nothing counts at its parent, resolved the same way;
 * - a unit dissolved before the day counts at its successor, resolved the same way;
 * - nothing resolvable: the root.
 */
export async function unitResolver(db: DB, on: string): Promise<(unitId: string | null | undefined) => string> {
  const [units, inForceRows, lineage, closureOn] = await Promise.all([
    db.selectFrom('units').select(['id', 'parent_id', 'valid_from', 'valid_to']).execute(),
    db.selectFrom('unit_tree_history as h').select('h.descendant_id').where('h.depth', '=', 0).where(inForce('h', on)).execute(),
    db.selectFrom('unit_lineage').select(['predecessor_id', 'successor_id', 'kind', 'effective_on']).execute(),
    db.selectFrom('unit_tree_history as h').select(['h.ancestor_id', 'h.descendant_id', 'h.depth']).where(inForce('h', on)).execute(),
  ]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const live = new Set(inForceRows.map((r) => r.descendant_id));
  const root = units.find((u) => u.parent_id == null && live.has(u.id))?.id ?? units.find((u) => u.parent_id == null)?.id ?? '';
  const preds = new Map<string, string[]>();
  const succ = new Map<string, string>();
  for (const l of lineage) {
    preds.set(l.successor_id, [...(preds.get(l.successor_id) ?? []), l.predecessor_id]);
    if (l.kind !== 'split_from') succ.set(l.predecessor_id, l.successor_id);
  }
  // Ancestors on the date, nearest first (depth ascending), for the lowest common holder.
  const ancestorsOn = new Map<string, Array<{ id: string; depth: number }>>();
  for (const r of closureOn) {
    const list = ancestorsOn.get(r.descendant_id) ?? [];
    list.push({ id: r.ancestor_id, depth: r.depth });
    ancestorsOn.set(r.descendant_id, list);
  }
  for (const list of ancestorsOn.values()) list.sort((a, b) => a.depth - b.depth);

  const lowestCommon = (ids: string[]): string => {
    const uniq = [...new Set(ids)];
    if (uniq.length === 1) return uniq[0]!;
    const first = ancestorsOn.get(uniq[0]!) ?? [];
    for (const cand of first) {
      if (uniq.every((id) => (ancestorsOn.get(id) ?? []).some((a) => a.id === cand.id))) return cand.id;
    }
    return root;
  };

  const memo = new Map<string, string>();
  const resolve = (id: string, seen: Set<string>): string => {
    const hit = memo.get(id);
    if (hit) return hit;
    if (live.has(id)) return id;
    if (seen.has(id)) return root;
    seen.add(id);
    const u = byId.get(id);
    let out = root;
    if (u) {
      const createdLater = u.valid_from != null && u.valid_from > on;
      const p = preds.get(id);
      const s = succ.get(id);
      if (createdLater && p?.length) out = lowestCommon(p.map((x) => resolve(x, seen)));
      else if (!createdLater && s) out = resolve(s, seen);
      else if (u.parent_id) out = resolve(u.parent_id, seen);
    }
    memo.set(id, out);
    return out;
  };
  return (unitId) => (unitId ? resolve(unitId, new Set()) : root);
}
