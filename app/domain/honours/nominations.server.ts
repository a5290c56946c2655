/**
 * Honour nominations (tôn vinh tấm gương tự học): a unit nominates for a Week, the unit's parent
 * (in the tree in force on the Week's first day) accepts or returns with a comment; every
 * submitted version is kept. Accepting issues the Open Badges 3.0 credential (badges.server.ts).
 */
import { lockRows, writeTransaction } from '~/db/dialect';
import { type HonourCategory, type NominationStatus } from '~/db/schema/honours';
import { ancestorsOn } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { absoluteUrl } from '~/lib/origin.server';
import { err, ok, type Result } from '~/lib/result';

import { canApproveFor, canNominateFor, isPubliclyShown, type Nomination, nominationAccess } from './access.server';
import { issueBadge, signingKey } from './badges.server';
import { noticeDecided, noticeSubmitted } from './notices.server';

/** Vietnamese names of the categories, written into the credential (the UI translates its own). */
export const CATEGORY_VI: Record<HonourCategory, string> = {
  self_learner: 'Tấm gương tự học',
  learning_family: 'Gia đình học tập',
  learning_unit: 'Đơn vị học tập',
  collective: 'Tập thể tiêu biểu',
};

export const ADULT_AGE = 18;

export interface NominationInput {
  weekYear: number;
  unitId: string;
  category: HonourCategory;
  nomineeName: string;
  nomineeEmail: string | null;
  nomineeBirthYear: number | null;
  consent: boolean;
  consentBy: string | null;
  headline: string;
  citationMd: string;
  evidence: Array<{ url: string; label: string }>;
}

export type NominationError =
  | 'not_found'
  | 'forbidden'
  | 'no_week'
  | 'unit_not_in_week'
  | 'consent_by_required'
  | 'not_editable'
  | 'not_submitted'
  | 'comment_required'
  | 'not_approved'
  | 'already_revoked';

export function isMinor(weekYear: number, birthYear: number | null): boolean {
  return birthYear != null && weekYear - birthYear < ADULT_AGE;
}

/** The approver of a unit's nominations for a Week: its parent on the Week's first day (itself at the root). */
export async function approverUnitFor(db: DB, unitId: string, weekYear: number): Promise<Result<string, 'no_week' | 'unit_not_in_week'>> {
  const week = await db.selectFrom('weeks').select('starts_on').where('year', '=', weekYear).executeTakeFirst();
  if (!week) return err('no_week');
  const chain = await ancestorsOn(db, unitId, week.starts_on);
  if (!chain.length) return err('unit_not_in_week');
  return ok(chain.length >= 2 ? chain[chain.length - 2]!.id : unitId);
}

function fields(input: NominationInput) {
  const minor = isMinor(input.weekYear, input.nomineeBirthYear);
  return {
    category: input.category,
    nominee_name: input.nomineeName.trim(),
    nominee_email: input.nomineeEmail?.trim().toLowerCase() || null,
    nominee_birth_year: input.nomineeBirthYear,
    is_minor: (minor ? 1 : 0) as 0 | 1,
    consent: (minor && input.consent ? 1 : 0) as 0 | 1,
    consent_by: minor && input.consent ? input.consentBy?.trim() || null : null,
    headline: input.headline.trim(),
    citation_md: input.citationMd,
    evidence_json: JSON.stringify(input.evidence),
  };
}

function checkConsent(input: NominationInput): 'consent_by_required' | null {
  return isMinor(input.weekYear, input.nomineeBirthYear) && input.consent && !input.consentBy?.trim() ? 'consent_by_required' : null;
}

export async function createNomination(
  db: DB,
  userId: string,
  input: NominationInput,
  now = new Date(),
): Promise<Result<{ id: string }, NominationError>> {
  if (!(await canNominateFor(db, userId, input.unitId))) return err('forbidden');
  const approver = await approverUnitFor(db, input.unitId, input.weekYear);
  if (!approver.ok) return approver;
  const c = checkConsent(input);
  if (c) return err(c);
  const id = newId();
  const at = now.toISOString();
  const f = fields(input);
  await db
    .insertInto('honour_nominations')
    .values({
      id,
      week_year: input.weekYear,
      unit_id: input.unitId,
      approver_unit_id: approver.value,
      ...f,
      consent_at: f.consent ? at : null,
      status: 'draft',
      version: 0,
      created_by: userId,
      created_at: at,
      updated_at: at,
      submitted_at: null,
      decided_by: null,
      decided_at: null,
      contest_round_id: null,
      contest_user_id: null,
    })
    .execute();
  return ok({ id });
}

/** Edits a draft or a returned nomination (the unit and the Week stay). */
export async function updateNomination(
  db: DB,
  userId: string,
  id: string,
  input: Omit<NominationInput, 'unitId' | 'weekYear'>,
  now = new Date(),
): Promise<Result<{ id: string }, NominationError>> {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canEdit) return err(a.nomination.status === 'approved' || a.nomination.status === 'submitted' ? 'not_editable' : 'forbidden');
  const full = { ...input, unitId: a.nomination.unit_id, weekYear: a.nomination.week_year };
  const c = checkConsent(full);
  if (c) return err(c);
  const f = fields(full);
  const at = now.toISOString();
  const r = await db
    .updateTable('honour_nominations')
    .set({ ...f, consent_at: f.consent ? (a.nomination.consent_at ?? at) : null, updated_at: at })
    .where('id', '=', id)
    .where('status', 'in', ['draft', 'returned'])
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return err('not_editable');
  return ok({ id });
}

function snapshot(n: Nomination) {
  return {
    category: n.category,
    nominee_name: n.nominee_name,
    nominee_birth_year: n.nominee_birth_year,
    is_minor: n.is_minor,
    consent: n.consent,
    consent_by: n.consent_by,
    headline: n.headline,
    citation_md: n.citation_md,
    evidence: JSON.parse(n.evidence_json) as unknown,
  };
}

/** Sends a draft or a returned nomination up to the approver unit: a new version is kept. */
export async function submitNomination(
  db: DB,
  userId: string,
  id: string,
  now = new Date(),
): Promise<Result<{ version: number }, NominationError>> {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canEdit) return err(a.nomination.status === 'submitted' || a.nomination.status === 'approved' ? 'not_editable' : 'forbidden');
  const r = await writeTransaction(db, async (trx) => {
    const n = await lockRows(trx, trx.selectFrom('honour_nominations').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!n || (n.status !== 'draft' && n.status !== 'returned')) return err('not_editable' as const);
    const version = n.version + 1;
    const at = now.toISOString();
    await trx
      .insertInto('honour_versions')
      .values({
        id: newId(),
        nomination_id: id,
        version,
        snapshot_json: JSON.stringify(snapshot(n)),
        submitted_by: userId,
        submitted_at: at,
        decision: null,
        comment: null,
        decided_by: null,
        decided_at: null,
      })
      .execute();
    await trx
      .updateTable('honour_nominations')
      .set({ status: 'submitted', version, submitted_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
    return ok({ version });
  });
  if (r.ok) await noticeSubmitted(db, a.nomination, userId, now);
  return r;
}

export type Decision = { decision: 'approve' } | { decision: 'return'; comment: string };

/** The approver accepts (the badge is issued) or returns with a comment. */
export async function decideNomination(
  db: DB,
  userId: string,
  id: string,
  d: Decision,
  now = new Date(),
): Promise<Result<{ status: NominationStatus; code: string | null }, NominationError>> {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!(await canApproveFor(db, userId, a.nomination.approver_unit_id))) return err('forbidden');
  if (!a.canDecide) return err('not_submitted');
  if (d.decision === 'return' && !d.comment.trim()) return err('comment_required');
  if (d.decision === 'approve') await signingKey(db); // made outside the transaction (first use)
  const info = await db
    .selectFrom('honour_nominations as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .innerJoin('weeks as w', 'w.year', 'n.week_year')
    .select(['u.slug', 'u.name', 'w.theme_vi'])
    .where('n.id', '=', id)
    .executeTakeFirstOrThrow();
  const r = await writeTransaction(db, async (trx) => {
    const n = await lockRows(trx, trx.selectFrom('honour_nominations').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!n || n.status !== 'submitted') return err('not_submitted' as const);
    const at = now.toISOString();
    const status: NominationStatus = d.decision === 'approve' ? 'approved' : 'returned';
    await trx
      .updateTable('honour_versions')
      .set({
        decision: d.decision === 'approve' ? 'approved' : 'returned',
        comment: d.decision === 'return' ? d.comment.trim() : null,
        decided_by: userId,
        decided_at: at,
      })
      .where('nomination_id', '=', id)
      .where('version', '=', n.version)
      .execute();
    await trx
      .updateTable('honour_nominations')
      .set({ status, decided_by: userId, decided_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
    let code: string | null = null;
    if (status === 'approved') {
      const { code: c } = await issueBadge(trx, {
        nominationId: id,
        email: n.nominee_email,
        weekYear: n.week_year,
        themeVi: info.theme_vi,
        category: n.category,
        categoryLabel: CATEGORY_VI[n.category],
        unit: { slug: info.slug, name: info.name },
        nomineeName: n.nominee_name,
        headline: n.headline,
        citationText: n.citation_md.replace(/[#*_`>[\]()]/g, '').trim(),
        evidence: JSON.parse(n.evidence_json) as Array<{ url: string; label: string }>,
        nominationUrl: absoluteUrl(`/honours/${id}`),
        validFrom: at.replace(/\.\d{3}Z$/, 'Z'),
      });
      code = c;
    }
    return ok({ status, code });
  });
  if (r.ok) {
    const last = await db
      .selectFrom('honour_versions')
      .select('submitted_by')
      .where('nomination_id', '=', id)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    await noticeDecided(
      db,
      a.nomination,
      r.value.status === 'approved' ? 'approved' : 'returned',
      userId,
      { comment: d.decision === 'return' ? d.comment.trim() : '', submittedBy: last?.submitted_by },
      now,
    );
  }
  return r;
}

/** The approver (or anyone above it) revokes an issued commendation, with a reason. */
export async function revokeHonour(
  db: DB,
  userId: string,
  id: string,
  reason: string,
  now = new Date(),
): Promise<Result<undefined, NominationError>> {
  const n = await db.selectFrom('honour_nominations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!n) return err('not_found');
  if (!(await canApproveFor(db, userId, n.approver_unit_id)))
    return (await canNominateFor(db, userId, n.unit_id)) || isPubliclyShown(n) ? err('forbidden') : err('not_found');
  if (!reason.trim()) return err('comment_required');
  const r = await db
    .updateTable('honour_badges')
    .set({ revoked_at: now.toISOString(), revoked_reason: reason.trim(), revoked_by: userId })
    .where('nomination_id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    const b = await db.selectFrom('honour_badges').select('id').where('nomination_id', '=', id).executeTakeFirst();
    return err(b ? 'already_revoked' : 'not_approved');
  }
  await noticeDecided(db, n, 'revoked', userId, { comment: reason.trim() }, now);
  return ok();
}
