/**
 * Open Badges 3.0 credentials for approved honours (W3C Verifiable Credentials data model v2),
 * signed as VC-JWT (compact JWS, `alg: EdDSA`) with the deployment's Ed25519 key. The key is made
 * on first use and kept in the database (`honour_keys`); its public half is served as a JWKS at
 * /.well-known/jwks.json. Revocation uses the 1EdTech revocation list status method: every
 * credential points at /honours/revocations.json, which lists the revoked ones.
 */
import { createHash, randomBytes } from 'node:crypto';

import { calculateJwkThumbprint, CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

import { isUniqueViolation } from '~/db/dialect';
import type { HonourCategory } from '~/db/schema/honours';
import { newCertificateCode } from '~/domain/courses/progress.server';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { absoluteUrl } from '~/lib/origin.server';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const REVOCATION_LIST_PATH = '/honours/revocations.json';
export const JWKS_PATH = '/.well-known/jwks.json';

const SLOT = 'default';

/** The deployment's signing key: read, or generated once (a concurrent first use keeps the winner's). */
export async function signingKey(db: DB): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }> {
  const row = await db.selectFrom('honour_keys').selectAll().where('slot', '=', SLOT).executeTakeFirst();
  if (row) return { kid: row.kid, privateJwk: JSON.parse(row.private_jwk) as JWK, publicJwk: JSON.parse(row.public_jwk) as JWK };
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  try {
    await db
      .insertInto('honour_keys')
      .values({
        kid,
        slot: SLOT,
        alg: 'EdDSA',
        public_jwk: JSON.stringify(publicJwk),
        private_jwk: JSON.stringify(privateJwk),
        created_at: new Date().toISOString(),
      })
      .execute();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return signingKey(db);
  }
  return { kid, privateJwk, publicJwk };
}

/** The public keys, as a JSON Web Key Set. */
export async function publicJwks(db: DB): Promise<{ keys: JWK[] }> {
  const rows = await db.selectFrom('honour_keys').select(['kid', 'public_jwk']).orderBy('created_at').execute();
  if (!rows.length) {
    const k = await signingKey(db);
    return { keys: [{ ...k.publicJwk, kid: k.kid, alg: 'EdDSA', use: 'sig' }] };
  }
  return { keys: rows.map((r) => ({ ...(JSON.parse(r.public_jwk) as JWK), kid: r.kid, alg: 'EdDSA', use: 'sig' })) };
}

/** OB 3.0 IdentityHash: `sha256$` + hex SHA-256 of the identity followed by the salt. */
export function identityHash(email: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex')}`;
}

export interface CredentialInput {
  code: string;
  weekYear: number;
  themeVi: string;
  category: HonourCategory;
  categoryLabel: string;
  unit: { slug: string; name: string };
  nomineeName: string;
  headline: string;
  citationText: string;
  evidence: Array<{ url: string; label: string }>;
  nominationUrl: string;
  salt: string;
  identityHash: string | null;
  validFrom: string;
  /** A contest prize: the achievement is the prize of that contest, not a nomination's category. */
  achievement?: { name: string; description: string; criteria: string; id: string };
}

/** The credential (what is signed), in the OB 3.0 / VCDM 2.0 shape. */
export function buildCredential(c: CredentialInput) {
  const verifyUrl = absoluteUrl(`/verify/${encodeURIComponent(c.code)}`);
  const subject: Record<string, unknown> = {
    type: ['AchievementSubject'],
    achievement: {
      id: c.achievement?.id ?? absoluteUrl(`/weeks/${c.weekYear}/honours?category=${c.category}`),
      type: ['Achievement'],
      achievementType: 'Award',
      name: c.achievement?.name ?? `${c.categoryLabel} — Tuần lễ hưởng ứng học tập suốt đời ${c.weekYear}`,
      description: c.achievement?.description ?? `${c.categoryLabel}: ${c.headline}`,
      criteria: {
        narrative:
          c.achievement?.criteria ??
          `Được ${c.unit.name} đề cử và cấp trên phê duyệt trong Tuần lễ hưởng ứng học tập suốt đời năm ${c.weekYear} (chủ đề: ${c.themeVi}).`,
      },
      tag: [c.category, String(c.weekYear)],
    },
    narrative: c.citationText || c.headline,
  };
  if (c.identityHash) {
    subject.identifier = [
      { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: c.identityHash, salt: c.salt },
    ];
  }
  return {
    '@context': [VC_CONTEXT_V2, OB_CONTEXT],
    id: verifyUrl,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `Giấy khen: ${c.nomineeName} — ${c.headline}`,
    issuer: {
      id: absoluteUrl(`/units/${c.unit.slug}`),
      type: ['Profile'],
      name: c.unit.name,
      url: absoluteUrl(`/units/${c.unit.slug}`),
    },
    validFrom: c.validFrom,
    credentialSubject: subject,
    evidence: [
      { id: c.nominationUrl, type: ['Evidence'], name: c.headline, narrative: c.citationText || c.headline },
      ...c.evidence.map((e) => ({ id: e.url, type: ['Evidence'], name: e.label || e.url })),
    ],
    credentialStatus: { id: absoluteUrl(REVOCATION_LIST_PATH), type: '1EdTechRevocationList' },
    credentialSchema: [
      {
        id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
        type: '1EdTechJsonSchemaValidator2019',
      },
    ],
  };
}

export type Credential = ReturnType<typeof buildCredential>;

export async function signCredential(db: DB, credential: Credential): Promise<{ jwt: string; kid: string }> {
  const key = await signingKey(db);
  const privateKey = await importJWK(key.privateJwk, 'EdDSA');
  const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(credential)))
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: key.kid })
    .sign(privateKey);
  return { jwt, kid: key.kid };
}

/** Checks a VC-JWT against this deployment's public keys; the credential on success. */
export async function verifyCredentialJwt(db: DB, jwt: string): Promise<Credential | null> {
  const { keys } = await publicJwks(db);
  for (const jwk of keys) {
    try {
      const { payload } = await compactVerify(jwt, await importJWK(jwk, 'EdDSA'));
      return JSON.parse(new TextDecoder().decode(payload)) as Credential;
    } catch {
      /* try the next key */
    }
  }
  return null;
}

/** Issues (once) the badge of an approved nomination, inside the caller's transaction. */
export async function issueBadge(
  db: DB,
  input: Omit<CredentialInput, 'code' | 'salt' | 'identityHash'> & { nominationId: string; email: string | null },
): Promise<{ code: string }> {
  const existing = await db.selectFrom('honour_badges').select('code').where('nomination_id', '=', input.nominationId).executeTakeFirst();
  if (existing) return existing;
  const code = newCertificateCode();
  const salt = randomBytes(16).toString('hex');
  const hash = input.email ? identityHash(input.email, salt) : null;
  const credential = buildCredential({ ...input, code, salt, identityHash: hash });
  const { jwt, kid } = await signCredential(db, credential);
  await db
    .insertInto('honour_badges')
    .values({
      id: newId(),
      nomination_id: input.nominationId,
      code,
      salt,
      identity_hash: hash,
      credential_json: JSON.stringify(credential),
      jwt,
      kid,
      issued_at: input.validFrom,
      revoked_at: null,
      revoked_reason: null,
      revoked_by: null,
    })
    .execute();
  return { code };
}

/** The 1EdTech revocation list: every revoked honour credential with its reason. */
export async function revocationList(db: DB) {
  const rows = await db
    .selectFrom('honour_badges')
    .select(['code', 'revoked_reason'])
    .where('revoked_at', 'is not', null)
    .orderBy('revoked_at')
    .execute();
  return {
    id: absoluteUrl(REVOCATION_LIST_PATH),
    revokedCredential: rows.map((r) => ({
      id: absoluteUrl(`/verify/${encodeURIComponent(r.code)}`),
      ...(r.revoked_reason ? { revocationReason: r.revoked_reason } : {}),
    })),
  };
}
