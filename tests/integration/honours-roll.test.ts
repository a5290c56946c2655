import fs from 'node:fs';
import path from 'node:path';

import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, importJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { verifyCertificate } from '../../app/domain/certificates/verify.server';
import { nominationAccess } from '../../app/domain/honours/access.server';
import {
  type Credential,
  identityHash,
  publicJwks,
  revocationList,
  signingKey,
  verifyCredentialJwt,
} from '../../app/domain/honours/badges.server';
import {
  approverUnitFor,
  createNomination,
  decideNomination,
  type NominationInput,
  revokeHonour,
  submitNomination,
  updateNomination,
} from '../../app/domain/honours/nominations.server';
import { honourRoll, honoursDesk, nominationPage } from '../../app/domain/honours/pages.server';
import { dialects, freshDb } from '../helpers/db';
import { honoursWorld } from '../helpers/honours';

const SCHEMA = JSON.parse(
  fs.readFileSync(path.resolve('tests/fixtures/honours/ob_v3p0_achievementcredential.schema.json'), 'utf8'),
) as object;
const ajv = new Ajv2019({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2019) => void)(ajv);
const validateOb3 = ajv.compile(SCHEMA);

async function world(db: DB) {
  const h = await honoursWorld(db);
  const { school, ward, sibling } = h;
  const schoolOrg = await h.organiser('BTC trường', school.id);
  const wardOrg = await h.organiser('BTC phường', ward.id);
  const siblingOrg = await h.organiser('BTC phường bên', sibling.id);
  const citizen = await h.user('Người dân');
  const input = (over: Partial<NominationInput> = {}): NominationInput => ({
    weekYear: 2024,
    unitId: school.id,
    category: 'self_learner',
    nomineeName: 'Nguyễn Thị Hoa',
    nomineeEmail: 'Hoa.Nguyen@example.vn',
    nomineeBirthYear: 1970,
    consent: false,
    consentBy: null,
    headline: 'Đọc 120 cuốn sách trong năm',
    citationMd: 'Cô **Hoa** lập tủ sách gia đình <script>alert(1)</script>',
    evidence: [{ url: 'https://example.vn/bai-bao', label: 'Bài báo' }],
    ...over,
  });
  return { ...h, schoolOrg, wardOrg, siblingOrg, citizen, input };
}

describe.each(dialects)('honour roll (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
  });
  afterEach(async () => cleanup());

  it('goes from the school up to its ward: return with a comment, resubmit, accept; every version kept', async () => {
    const w = await world(db);
    expect(await approverUnitFor(db, w.school.id, 2024)).toEqual({ ok: true, value: w.ward.id });
    // Only organisers of the unit nominate.
    expect(await createNomination(db, w.siblingOrg, w.input())).toEqual({ ok: false, code: 'forbidden' });
    expect(await createNomination(db, w.citizen, w.input())).toEqual({ ok: false, code: 'forbidden' });
    const c = await createNomination(db, w.schoolOrg, w.input());
    if (!c.ok) throw new Error(c.code);
    const id = c.value.id;

    // A draft: the sibling ward's organiser and the public cannot see it; the ward cannot decide it.
    expect((await nominationAccess(db, id, w.siblingOrg)).status).toBe('hidden');
    expect((await nominationAccess(db, id, null)).status).toBe('hidden');
    expect(await nominationPage(db, id, w.siblingOrg)).toBeNull();
    expect(await decideNomination(db, w.wardOrg, id, { decision: 'approve' })).toEqual({ ok: false, code: 'not_submitted' });

    expect(await submitNomination(db, w.siblingOrg, id)).toEqual({ ok: false, code: 'not_found' });
    expect(await submitNomination(db, w.schoolOrg, id)).toEqual({ ok: true, value: { version: 1 } });
    // Submitted: not editable, the sibling can neither see nor decide.
    expect((await updateNomination(db, w.schoolOrg, id, w.input({ headline: 'x' }))).ok).toBe(false);
    expect(await decideNomination(db, w.siblingOrg, id, { decision: 'approve' })).toEqual({ ok: false, code: 'not_found' });
    expect(await decideNomination(db, w.schoolOrg, id, { decision: 'approve' })).toEqual({ ok: false, code: 'forbidden' });
    expect((await honoursDesk(db, w.wardOrg)).toReview.map((r) => r.id)).toEqual([id]);
    expect((await honoursDesk(db, w.siblingOrg)).toReview).toEqual([]);

    expect(await decideNomination(db, w.wardOrg, id, { decision: 'return', comment: '  ' })).toEqual({
      ok: false,
      code: 'comment_required',
    });
    expect(await decideNomination(db, w.wardOrg, id, { decision: 'return', comment: 'Thêm ảnh minh chứng' })).toEqual({
      ok: true,
      value: { status: 'returned', code: null },
    });
    expect((await updateNomination(db, w.schoolOrg, id, w.input({ headline: 'Đọc 150 cuốn sách trong năm' }))).ok).toBe(true);
    expect(await submitNomination(db, w.schoolOrg, id)).toEqual({ ok: true, value: { version: 2 } });
    const d = await decideNomination(db, w.wardOrg, id, { decision: 'approve' });
    if (!d.ok) throw new Error(d.code);
    expect(d.value.status).toBe('approved');
    expect(d.value.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // A second decision is refused (the state moved on).
    expect(await decideNomination(db, w.wardOrg, id, { decision: 'approve' })).toEqual({ ok: false, code: 'not_submitted' });

    const page = await nominationPage(db, id, w.schoolOrg);
    expect(page?.versions.map((v) => [v.version, v.decision, v.comment])).toEqual([
      [2, 'approved', null],
      [1, 'returned', 'Thêm ảnh minh chứng'],
    ]);
    // The Markdown is sanitised.
    expect(page?.nomination.citationHtml).toContain('<strong>Hoa</strong>');
    expect(page?.nomination.citationHtml).not.toContain('<script');
    // Approved: public now, without the private fields.
    const pub = await nominationPage(db, id, null);
    expect(pub?.nomination.headline).toBe('Đọc 150 cuốn sách trong năm');
    expect(pub?.nomination.nomineeEmail).toBeNull();
    expect(pub?.versions).toEqual([]);
  });

  it('the public roll shows only approved honours, and minors only with consent', async () => {
    const w = await world(db);
    const approve = async (over: Partial<NominationInput>) => {
      const c = await createNomination(db, w.schoolOrg, w.input(over));
      if (!c.ok) throw new Error(c.code);
      await submitNomination(db, w.schoolOrg, c.value.id);
      const d = await decideNomination(db, w.wardOrg, c.value.id, { decision: 'approve' });
      if (!d.ok) throw new Error(d.code);
      return { id: c.value.id, code: d.value.code! };
    };
    const adult = await approve({ nomineeName: 'Trần Văn Người Lớn' });
    const minorNoConsent = await approve({ nomineeName: 'Lê Minh Bé', nomineeBirthYear: 2012 });
    // Consent for a minor needs who gave it.
    expect(await createNomination(db, w.schoolOrg, w.input({ nomineeBirthYear: 2012, consent: true }))).toEqual({
      ok: false,
      code: 'consent_by_required',
    });
    await approve({ nomineeName: 'Phạm Gia Đồng Ý', nomineeBirthYear: 2011, consent: true, consentBy: 'Phạm Văn Bố (bố)' });
    const draft = await createNomination(db, w.schoolOrg, w.input({ nomineeName: 'Đỗ Bản Nháp' }));
    expect(draft.ok).toBe(true);
    const submitted = await createNomination(db, w.schoolOrg, w.input({ nomineeName: 'Vũ Đang Chờ' }));
    if (submitted.ok) await submitNomination(db, w.schoolOrg, submitted.value.id);
    await approve({ nomineeName: 'Gia đình ông Bình', category: 'learning_family', nomineeEmail: null, nomineeBirthYear: null });

    const names = (rows: Array<{ nominee_name: string }>) => rows.map((r) => r.nominee_name).sort();
    expect(names(await honourRoll(db, { year: 2024 }))).toEqual(['Gia đình ông Bình', 'Phạm Gia Đồng Ý', 'Trần Văn Người Lớn']);
    expect(names(await honourRoll(db, { year: 2024, category: 'learning_family' }))).toEqual(['Gia đình ông Bình']);
    expect(names(await honourRoll(db, { unitId: w.ward.id }))).toHaveLength(3);
    expect(await honourRoll(db, { unitId: w.sibling.id })).toEqual([]);
    // Diacritic-insensitive search: "dong y" finds "Đồng Ý".
    expect(names(await honourRoll(db, { year: 2024, q: 'dong y' }))).toEqual(['Phạm Gia Đồng Ý']);
    // The minor without consent: not on the roll, not on a public page, initials on verification.
    expect((await nominationAccess(db, minorNoConsent.id, null)).status).toBe('hidden');
    const v = await verifyCertificate(db, minorNoConsent.code);
    expect(v.status === 'valid' && v.holderName).toBe('L. M. B.');
    const va = await verifyCertificate(db, adult.code.toLowerCase().replace(/-/g, ''));
    expect(va.status === 'valid' && [va.source, va.holderName]).toEqual(['honour', 'Trần Văn Người Lớn']);
  });

  it('issues an OB 3.0 credential that validates against the schema and verifies with the public key; revocation shows', async () => {
    const w = await world(db);
    const c = await createNomination(db, w.schoolOrg, w.input());
    if (!c.ok) throw new Error(c.code);
    await submitNomination(db, w.schoolOrg, c.value.id);
    const d = await decideNomination(db, w.wardOrg, c.value.id, { decision: 'approve' });
    if (!d.ok) throw new Error(d.code);
    const badge = await db.selectFrom('honour_badges').selectAll().where('nomination_id', '=', c.value.id).executeTakeFirstOrThrow();
    const credential = JSON.parse(badge.credential_json) as Credential;

    const valid = validateOb3(credential);
    expect(validateOb3.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
    expect(credential.issuer).toMatchObject({ type: ['Profile'], name: 'Trường THCS Thử' });
    expect((credential.credentialSubject.achievement as { criteria: { narrative: string } }).criteria.narrative).toContain('2024');
    // The recipient is a salted hash of the email, never the email itself.
    const id0 = (credential.credentialSubject.identifier as Array<Record<string, string>>)[0]!;
    expect(id0).toMatchObject({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true });
    expect(id0.identityHash).toBe(identityHash('hoa.nguyen@example.vn', id0.salt));
    expect(badge.credential_json).not.toContain('example.vn"');
    expect(badge.credential_json.toLowerCase()).not.toContain('hoa.nguyen');
    // A credential missing a required property fails the schema (the validator is not a no-op).
    expect(validateOb3({ ...credential, validFrom: undefined })).toBe(false);

    // The signature verifies with the public JWKS, via jose; a tampered payload does not.
    const header = decodeProtectedHeader(badge.jwt);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
    const jwks = await publicJwks(db);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: header.kid });
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    const { payload } = await compactVerify(badge.jwt, createLocalJWKSet(jwks));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(credential);
    const [h, , s] = badge.jwt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...credential, name: 'Giả' })).toString('base64url')}.${s}`;
    await expect(compactVerify(forged, await importJWK(jwks.keys[0]!, 'EdDSA'))).rejects.toThrow();
    expect(await verifyCredentialJwt(db, forged)).toBeNull();
    // One key per deployment: asking again gives the same key.
    expect((await signingKey(db)).kid).toBe(header.kid);

    // Revocation: only the approver side, with a reason; shown on verification and in the status list.
    expect(await revokeHonour(db, w.schoolOrg, c.value.id, 'x')).toEqual({ ok: false, code: 'forbidden' });
    expect(await revokeHonour(db, w.siblingOrg, c.value.id, 'x')).toEqual({ ok: false, code: 'forbidden' });
    expect(await revokeHonour(db, w.wardOrg, c.value.id, ' ')).toEqual({ ok: false, code: 'comment_required' });
    expect((await verifyCertificate(db, d.value.code!)).status).toBe('valid');
    expect(await revokeHonour(db, w.wardOrg, c.value.id, 'Thông tin không chính xác')).toEqual({ ok: true, value: undefined });
    expect(await revokeHonour(db, w.wardOrg, c.value.id, 'again')).toEqual({ ok: false, code: 'already_revoked' });
    const v = await verifyCertificate(db, d.value.code!);
    expect(v.status === 'revoked' && v.revokedReason).toBe('Thông tin không chính xác');
    const list = await revocationList(db);
    expect(credential.credentialStatus).toEqual({ id: list.id, type: '1EdTechRevocationList' });
    expect(list.revokedCredential).toEqual([{ id: credential.id, revocationReason: 'Thông tin không chính xác' }]);
    expect(await honourRoll(db, { year: 2024 })).toEqual([]);
  });
});
