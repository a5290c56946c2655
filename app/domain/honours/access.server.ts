/**
 * Who may do what with honour nominations, without HTTP (used by routes AND mutators).
 *
 * - Nominate for a unit, edit its drafts and returned nominations, see them: organisers of the
 *   unit (roles apply down the subtree, so its ancestors' organisers and admins too).
 * - Approve or return a submitted nomination, and revoke its badge: organisers of the approver
 *   unit — the nominating unit's parent in the tree in force on the Week's first day.
 * - Everyone else sees a nomination only once approved, and a minor's only with consent.
 *   A sibling unit's organiser is "everyone else": drafts are hidden (404), not forbidden.
 */
import type { HonourNominationsTable } from '~/db/schema/honours';
import { hasAnyRole } from '~/domain/accounts.server';
import type { DB } from '~/lib/db.server';

export type Nomination = HonourNominationsTable;

export type NominationAccess =
  | { status: 'missing' }
  | { status: 'hidden'; nomination: Nomination }
  | { status: 'ok'; nomination: Nomination; canEdit: boolean; canDecide: boolean; isPublic: boolean };

export function canNominateFor(db: DB, userId: string, unitId: string): Promise<boolean> {
  return hasAnyRole(db, userId, ['organiser'], unitId);
}

export function canApproveFor(db: DB, userId: string, approverUnitId: string): Promise<boolean> {
  return hasAnyRole(db, userId, ['organiser'], approverUnitId);
}

/** Shown to the public: approved, and for a minor only with the consent recorded. */
export function isPubliclyShown(n: Pick<Nomination, 'status' | 'is_minor' | 'consent'>): boolean {
  return n.status === 'approved' && (n.is_minor === 0 || n.consent === 1);
}

export async function nominationAccess(db: DB, id: string, userId: string | null | undefined): Promise<NominationAccess> {
  const nomination = await db.selectFrom('honour_nominations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!nomination) return { status: 'missing' };
  const isPublic = isPubliclyShown(nomination);
  const isMember = !!userId && (await canNominateFor(db, userId, nomination.unit_id));
  const isApprover = !!userId && (await canApproveFor(db, userId, nomination.approver_unit_id));
  // The approver sees what was submitted to it (and its outcome), never the child's drafts in progress.
  const approverSees = isApprover && nomination.version > 0;
  if (!isPublic && !isMember && !approverSees) return { status: 'hidden', nomination };
  return {
    status: 'ok',
    nomination,
    canEdit: isMember && (nomination.status === 'draft' || nomination.status === 'returned'),
    canDecide: isApprover && nomination.status === 'submitted',
    isPublic,
  };
}
