/**
 * Page queries of the honour roll: the public roll (per Week, per unit), one nomination's page,
 * and an organiser's workspace (their units' nominations and what awaits their decision).
 */
import { sql } from 'kysely';

import { HONOUR_CATEGORIES, type HonourCategory } from '~/db/schema/honours';
import { grantedUnits } from '~/domain/accounts.server';
import { foldVi } from '~/domain/search/fold';
import { subtreeIds } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { viCompare } from '~/lib/vi-sort';

import { canApproveFor, canNominateFor, nominationAccess } from './access.server';

export interface RollFilter {
  year?: number;
  unitId?: string;
  category?: HonourCategory | null;
  q?: string;
}

/** Approved, not revoked, and for minors only with consent: the public honour roll. */
export async function honourRoll(db: DB, f: RollFilter) {
  let q = db
    .selectFrom('honour_nominations as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .innerJoin('honour_badges as b', 'b.nomination_id', 'n.id')
    .select([
      'n.id',
      'n.week_year',
      'n.category',
      'n.nominee_name',
      'n.headline',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      'u.slug as unit_slug',
      'b.code',
      'b.issued_at',
    ])
    .where('n.status', '=', 'approved')
    .where('b.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('n.is_minor', '=', 0), eb('n.consent', '=', 1)]));
  if (f.year) q = q.where('n.week_year', '=', f.year);
  if (f.category) q = q.where('n.category', '=', f.category);
  const unitId = f.unitId;
  if (unitId) {
    // The unit's subtree now, or in the tree in force on that Week's first day (a 2024 honour of a
    // school stays on its 2024 ward's roll after the ward was merged).
    q = q.where((eb) =>
      eb.or([
        eb('n.unit_id', 'in', subtreeIds(db, unitId)),
        eb.exists(
          eb
            .selectFrom('unit_tree_history as h')
            .innerJoin('weeks as w', 'w.year', 'n.week_year')
            .select('h.depth')
            .where('h.ancestor_id', '=', unitId)
            .whereRef('h.descendant_id', '=', 'n.unit_id')
            .where(sql<boolean>`h.valid_from <= w.starts_on and (h.valid_to is null or h.valid_to > w.starts_on)`),
        ),
      ]),
    );
  }
  let rows = await q.orderBy('n.week_year', 'desc').limit(2000).execute();
  const words = foldVi(f.q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length) {
    rows = rows.filter((r) => {
      const hay = foldVi(`${r.nominee_name} ${r.headline} ${r.unit_name}`).toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }
  rows.sort(
    (a, b) =>
      b.week_year - a.week_year ||
      HONOUR_CATEGORIES.indexOf(a.category) - HONOUR_CATEGORIES.indexOf(b.category) ||
      viCompare(a.nominee_name, b.nominee_name),
  );
  return rows;
}

export type NominationPage = Awaited<ReturnType<typeof nominationPage>>;

/** One nomination as its viewer may see it; null when missing or hidden from them. */
export async function nominationPage(db: DB, id: string, userId: string | null | undefined) {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return null;
  const n = a.nomination;
  const [unit, approver, week, badge, versions, photos] = await Promise.all([
    db.selectFrom('units').select(['id', 'slug', 'name', 'name_en']).where('id', '=', n.unit_id).executeTakeFirstOrThrow(),
    db.selectFrom('units').select(['id', 'slug', 'name', 'name_en']).where('id', '=', n.approver_unit_id).executeTakeFirstOrThrow(),
    db.selectFrom('weeks').select(['year', 'theme_vi', 'theme_en']).where('year', '=', n.week_year).executeTakeFirstOrThrow(),
    db
      .selectFrom('honour_badges')
      .select(['code', 'issued_at', 'revoked_at', 'revoked_reason'])
      .where('nomination_id', '=', id)
      .executeTakeFirst(),
    a.canEdit || a.canDecide || !a.isPublic || userId
      ? db
          .selectFrom('honour_versions as v')
          .leftJoin('users as s', 's.id', 'v.submitted_by')
          .leftJoin('users as d', 'd.id', 'v.decided_by')
          .select([
            'v.version',
            'v.submitted_at',
            'v.decision',
            'v.comment',
            'v.decided_at',
            's.display_name as submitted_by_name',
            'd.display_name as decided_by_name',
          ])
          .where('v.nomination_id', '=', id)
          .orderBy('v.version', 'desc')
          .execute()
      : Promise.resolve([]),
    db.selectFrom('honour_photos').select(['id', 'alt', 'mime']).where('nomination_id', '=', id).orderBy('created_at').execute(),
  ]);
  // Versions and the contact side are for the unit and its approver; the public sees the citation.
  const insider = a.canEdit || a.canDecide || !a.isPublic || (await isInsider(db, userId, n.unit_id, n.approver_unit_id));
  return {
    nomination: {
      id: n.id,
      weekYear: n.week_year,
      category: n.category,
      nomineeName: n.nominee_name,
      nomineeBirthYear: insider ? n.nominee_birth_year : null,
      nomineeEmail: insider ? n.nominee_email : null,
      isMinor: n.is_minor === 1,
      consent: n.consent === 1,
      consentBy: insider ? n.consent_by : null,
      headline: n.headline,
      citationMd: insider ? n.citation_md : '',
      citationHtml: renderMarkdown(n.citation_md),
      evidence: JSON.parse(n.evidence_json) as Array<{ url: string; label: string }>,
      status: n.status,
      version: n.version,
    },
    unit,
    approver,
    week,
    badge: badge ?? null,
    versions: insider ? versions : [],
    photos,
    canEdit: a.canEdit,
    canDecide: a.canDecide,
    canRevoke: a.isPublic || n.status === 'approved' ? a.canDecide || (await canRevokeAs(db, userId, n.approver_unit_id)) : false,
    isPublic: a.isPublic,
    insider,
  };
}

async function isInsider(db: DB, userId: string | null | undefined, unitId: string, approverId: string) {
  if (!userId) return false;
  return (await canNominateFor(db, userId, unitId)) || (await canApproveFor(db, userId, approverId));
}

async function canRevokeAs(db: DB, userId: string | null | undefined, approverId: string) {
  if (!userId) return false;
  return canApproveFor(db, userId, approverId);
}

/** The organiser's desk: units they can nominate for, their nominations, and what awaits their decision. */
export async function honoursDesk(db: DB, userId: string) {
  const granted = await grantedUnits(db, userId, ['organiser', 'admin']);
  const roots = granted.map((g) => g.id);
  if (!roots.length) return { granted, mine: [], toReview: [] };
  const inMySubtrees = db.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', 'in', roots);
  const base = () =>
    db
      .selectFrom('honour_nominations as n')
      .innerJoin('units as u', 'u.id', 'n.unit_id')
      .select([
        'n.id',
        'n.week_year',
        'n.category',
        'n.nominee_name',
        'n.headline',
        'n.status',
        'n.version',
        'n.updated_at',
        'u.name as unit_name',
        'u.name_en as unit_name_en',
      ]);
  const [mine, toReview] = await Promise.all([
    base().where('n.unit_id', 'in', inMySubtrees).orderBy('n.updated_at', 'desc').limit(200).execute(),
    base()
      .where('n.approver_unit_id', 'in', inMySubtrees)
      .where('n.status', '=', 'submitted')
      .orderBy('n.submitted_at')
      .limit(200)
      .execute(),
  ]);
  return { granted, mine, toReview };
}

/** Weeks that have at least one public honour, newest first (the roll's year picker). */
export async function honourYears(db: DB) {
  const rows = await db
    .selectFrom('weeks')
    .select(['year', sql<string>`theme_vi`.as('theme_vi')])
    .orderBy('year', 'desc')
    .execute();
  return rows;
}

/** The stored credential of an honour, for those who may see the honour; null otherwise. */
export async function badgeDownload(db: DB, id: string, userId: string | null | undefined) {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return null;
  const b = await db
    .selectFrom('honour_badges')
    .select(['code', 'credential_json', 'jwt'])
    .where('nomination_id', '=', id)
    .executeTakeFirst();
  return b ? { code: b.code, credentialJson: b.credential_json, jwt: b.jwt } : null;
}
