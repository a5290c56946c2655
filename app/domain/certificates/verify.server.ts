/**
 * The one verification mechanism behind /verify/<code> and /certificates/<code>: a registry of
 * sources (course certificates, contest prizes, honours, reading challenges), each answering for the codes it issued.
 * A code is looked up in each source in turn; the first that knows it answers.
 */
import { normaliseCode } from '~/domain/courses/progress.server';
import type { DB } from '~/lib/db.server';

export type CertificateSource = 'course' | 'contest' | 'honour' | 'challenge';

export type Verification =
  | { status: 'unknown' }
  | {
      status: 'valid' | 'revoked';
      /** What the certificate is for: a completed course, a contest prize, or an honour (issue #16). */
      source: CertificateSource;
      /** The page of the course, the contest, or the honour. */
      href: string;
      code: string;
      holderName: string;
      courseTitle: string;
      courseSlug: string;
      unitName: string;
      issuedAt: string;
      revokedAt: string | null;
      revokedReason: string | null;
      /** Honours: the signed Open Badges 3.0 credential's download. */
      badgeHref?: string;
    };

export type Found = Exclude<Verification, { status: 'unknown' }>;

/** One kind of certificate: finds a code it issued, or null. */
export type VerificationSource = (db: DB, code: string) => Promise<Found | null>;

async function courseSource(db: DB, code: string): Promise<Found | null> {
  const r = await db
    .selectFrom('certificates as z')
    .innerJoin('courses as c', 'c.id', 'z.course_id')
    .select(['z.code', 'z.holder_name', 'z.course_title', 'z.unit_name', 'z.issued_at', 'z.revoked_at', 'z.revoked_reason', 'c.slug'])
    .where('z.code', '=', code)
    .executeTakeFirst();
  if (!r) return null;
  return {
    status: r.revoked_at ? 'revoked' : 'valid',
    source: 'course',
    href: `/courses/${r.slug}`,
    code: r.code,
    holderName: r.holder_name,
    courseTitle: r.course_title,
    courseSlug: r.slug,
    unitName: r.unit_name,
    issuedAt: r.issued_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  };
}

async function contestSource(db: DB, code: string): Promise<Found | null> {
  const r = await db
    .selectFrom('contest_certificates as z')
    .innerJoin('contests as c', 'c.id', 'z.contest_id')
    .select([
      'z.code',
      'z.holder_name',
      'z.title',
      'z.prize_label',
      'z.unit_name',
      'z.issued_at',
      'z.revoked_at',
      'z.revoked_reason',
      'c.slug',
    ])
    .where('z.code', '=', code)
    .executeTakeFirst();
  if (!r) return null;
  return {
    status: r.revoked_at ? 'revoked' : 'valid',
    source: 'contest',
    href: `/contests/${r.slug}`,
    code: r.code,
    holderName: r.holder_name,
    courseTitle: `${r.title} — ${r.prize_label}`,
    courseSlug: '',
    unitName: r.unit_name,
    issuedAt: r.issued_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  };
}

/** "Nguyễn Thị Hoa" → "N. T. H.": a minor shown without the recorded consent. */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0]!.toUpperCase()}.`)
    .join(' ');
}

async function honourSource(db: DB, code: string): Promise<Found | null> {
  const r = await db
    .selectFrom('honour_badges as b')
    .innerJoin('honour_nominations as n', 'n.id', 'b.nomination_id')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .select([
      'b.code',
      'b.issued_at',
      'b.revoked_at',
      'b.revoked_reason',
      'n.id',
      'n.nominee_name',
      'n.headline',
      'n.is_minor',
      'n.consent',
      'u.name as unit_name',
    ])
    .where('b.code', '=', code)
    .executeTakeFirst();
  if (!r) return null;
  const shown = r.is_minor === 0 || r.consent === 1;
  return {
    status: r.revoked_at ? 'revoked' : 'valid',
    source: 'honour',
    href: `/honours/${r.id}`,
    code: r.code,
    holderName: shown ? r.nominee_name : initials(r.nominee_name),
    courseTitle: r.headline,
    courseSlug: '',
    unitName: r.unit_name,
    issuedAt: r.issued_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
    badgeHref: `/honours/${r.id}/badge.json`,
  };
}

/** A reading challenge finished (issue #13): the holder's name as shown publicly (a child's first name only). */
async function challengeSource(db: DB, code: string): Promise<Found | null> {
  const r = await db
    .selectFrom('reading_challenge_certificates as z')
    .select(['z.code', 'z.challenge_id', 'z.holder_name', 'z.title', 'z.unit_name', 'z.issued_at', 'z.revoked_at', 'z.revoked_reason'])
    .where('z.code', '=', code)
    .executeTakeFirst();
  if (!r) return null;
  return {
    status: r.revoked_at ? 'revoked' : 'valid',
    source: 'challenge',
    href: `/clubs/challenges/${r.challenge_id}`,
    code: r.code,
    holderName: r.holder_name,
    courseTitle: r.title,
    courseSlug: '',
    unitName: r.unit_name,
    issuedAt: r.issued_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  };
}

/** The registry, in lookup order. A new kind of certificate adds one source here. */
export const VERIFICATION_SOURCES: Record<CertificateSource, VerificationSource> = {
  course: courseSource,
  contest: contestSource,
  honour: honourSource,
  challenge: challengeSource,
};

export async function verifyCertificate(db: DB, code: string): Promise<Verification> {
  const c = normaliseCode(code);
  for (const source of Object.values(VERIFICATION_SOURCES)) {
    const found = await source(db, c);
    if (found) return found;
  }
  return { status: 'unknown' };
}
