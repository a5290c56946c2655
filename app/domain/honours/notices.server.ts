/**
 * The honour roll's notices, through the one notification centre (`notify()`): the approver
 * unit's organisers when a nomination reaches them, the nominator when it is approved, returned
 * or revoked, and a contest winner when a badge is issued for their prize. Sent after the write
 * has committed; the actor is never told of their own action.
 */
import { notify } from '~/domain/notifications/notify.server';
import type { DB } from '~/lib/db.server';

/**
 * Who decides for a unit: the organisers granted on the unit itself, else those of the nearest
 * unit above it that has some (a ward without its own organiser is run from its district).
 */
export async function organisersToNotify(db: DB, unitId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('unit_closure as c')
    .innerJoin('role_grants as g', 'g.unit_id', 'c.ancestor_id')
    .select(['g.user_id', 'c.depth'])
    .where('c.descendant_id', '=', unitId)
    .where('g.role', '=', 'organiser')
    .orderBy('c.depth')
    .execute();
  if (!rows.length) return [];
  const nearest = rows[0]!.depth;
  return [...new Set(rows.filter((r) => r.depth === nearest).map((r) => r.user_id))];
}

interface About {
  id: string;
  nominee_name: string;
  headline: string;
  unit_id: string;
  approver_unit_id: string;
  created_by: string;
}

async function unitNameOf(db: DB, id: string): Promise<string> {
  const u = await db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirst();
  return u?.name ?? '';
}

/** A nomination was submitted (or resubmitted): its approver unit's organisers are told. */
export async function noticeSubmitted(db: DB, n: About, actorId: string, now: Date): Promise<number> {
  const to = (await organisersToNotify(db, n.approver_unit_id)).filter((u) => u !== actorId);
  const unit = await unitNameOf(db, n.unit_id);
  for (const userId of to)
    await notify(db, {
      userId,
      type: 'honours.submitted',
      params: { nominee: n.nominee_name, unit, headline: n.headline },
      url: `/honours/${n.id}`,
      now,
    });
  return to.length;
}

/** The nominator (who created it, and who last submitted it) hears of the decision. */
export async function noticeDecided(
  db: DB,
  n: About,
  outcome: 'approved' | 'returned' | 'revoked',
  actorId: string,
  extra: { comment?: string; submittedBy?: string | null },
  now: Date,
): Promise<number> {
  const to = [...new Set([n.created_by, extra.submittedBy].filter((u): u is string => !!u && u !== actorId))];
  const approver = await unitNameOf(db, n.approver_unit_id);
  const type = outcome === 'approved' ? 'honours.approved' : outcome === 'returned' ? 'honours.returned' : 'honours.revoked';
  for (const userId of to)
    await notify(db, {
      userId,
      type,
      params: { nominee: n.nominee_name, approver, comment: extra.comment ?? '' },
      url: `/honours/${n.id}`,
      now,
    });
  return to.length;
}

/** A contest winner's badge was issued. */
export async function noticeAwarded(db: DB, userId: string, nominationId: string, p: { prize: string; contest: string }, now: Date) {
  await notify(db, { userId, type: 'honours.awarded', params: p, url: `/honours/${nominationId}`, now });
}
