/**
 * Accounts on real databases: roles down the unit subtree, session expiry and sign-out, the
 * login rate limit, and single-use expiring password reset tokens.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { DEMO_PASSWORD, seedAccounts } from '~/db/seed/accounts';
import { seedUnits } from '~/db/seed/units';
import { authenticate, createPasswordResetToken, hasRole, isResetTokenUsable, resetPassword, signUp } from '~/domain/accounts.server';
import { createSessionCookie, getAuth, invalidateAllSessions, makeLuciaForTest, signIn, signOut } from '~/lib/auth.server';
import { resetLoginLimits } from '~/lib/rate-limit.server';

import { dialects, freshDb } from '../helpers/db';

function requestWith(opts: { cookie?: string; ip?: string } = {}): Request {
  const headers = new Headers();
  if (opts.cookie) headers.set('Cookie', opts.cookie.split(';')[0]!);
  headers.set('x-llw-client-ip', opts.ip ?? '198.51.100.1');
  return new Request('http://localhost/', { headers });
}

let seq = 0;
async function newUser(db: DB, password = 'mot-mat-khau-dai') {
  const email = `user${++seq}.${Date.now()}@example.test`;
  const r = await signUp(db, { email, password, displayName: 'Người dùng thử', birthYear: 1990, homeUnitId: null, locale: 'vi' });
  if (!r.ok) throw new Error('sign-up failed');
  return { id: r.userId, email, password };
}

describe.each(dialects)('foundation auth on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let units: Map<string, string>;
  let users: Map<string, string>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    units = await seedUnits(db);
    users = await seedAccounts(db, units);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  describe('roles apply down the unit subtree', () => {
    it("Hà Nội's organiser may edit Biên Giang's plan; Thái Nguyên's may not", async () => {
      const bienGiang = units.get('bien-giang')!;
      expect(await hasRole(db, users.get('bantochuc.hanoi@demo.hoctap.vn')!, bienGiang, 'organiser')).toBe(true);
      expect(await hasRole(db, users.get('bantochuc.thainguyen@demo.hoctap.vn')!, bienGiang, 'organiser')).toBe(false);
      // Four levels down (Hà Nội → Hà Đông → Biên Giang → school → its library) still applies.
      expect(await hasRole(db, users.get('bantochuc.hanoi@demo.hoctap.vn')!, units.get('thu-vien-thcs-bien-giang')!, 'organiser')).toBe(
        true,
      );
    });

    it('a role does not apply upwards, sideways, or as another role', async () => {
      const bg = users.get('bantochuc.biengiang@demo.hoctap.vn')!;
      expect(await hasRole(db, bg, units.get('bien-giang')!, 'organiser')).toBe(true);
      expect(await hasRole(db, bg, units.get('thcs-bien-giang')!, 'organiser')).toBe(true);
      expect(await hasRole(db, bg, units.get('ha-dong')!, 'organiser')).toBe(false);
      expect(await hasRole(db, bg, units.get('van-phuc')!, 'organiser')).toBe(false);
      expect(await hasRole(db, bg, units.get('bien-giang')!, 'librarian')).toBe(false);
      expect(await hasRole(db, users.get('giaovien@demo.hoctap.vn')!, units.get('thcs-bien-giang')!, 'organiser')).toBe(false);
      expect(await hasRole(db, users.get('nguoidan@demo.hoctap.vn')!, units.get('bien-giang')!, 'organiser')).toBe(false);
    });

    it("the Ministry's admin counts as every role everywhere, but an organiser is not an admin", async () => {
      const admin = users.get('admin@demo.hoctap.vn')!;
      expect(await hasRole(db, admin, units.get('thcs-tan-thinh')!, 'organiser')).toBe(true);
      expect(await hasRole(db, admin, units.get('thu-vien-binh-dinh')!, 'librarian')).toBe(true);
      expect(await hasRole(db, users.get('bantochuc.hanoi@demo.hoctap.vn')!, units.get('ha-noi')!, 'admin')).toBe(false);
    });
  });

  describe('sessions', () => {
    it('a valid session cookie identifies the user', async () => {
      const u = await newUser(db);
      const cookie = await createSessionCookie(u.id, db);
      const auth = await getAuth(requestWith({ cookie }), db);
      expect(auth.user?.id).toBe(u.id);
      expect(auth.user?.email).toBe(u.email);
      expect(auth.user?.displayName).toBe('Người dùng thử');
    });

    it('an expired session gives no user, clears the cookie and is deleted', async () => {
      const u = await newUser(db);
      const cookie = await createSessionCookie(u.id, db);
      const sessionId = cookie.split(';')[0]!.split('=')[1]!;
      await db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', sessionId)
        .execute();
      const auth = await getAuth(requestWith({ cookie }), db);
      expect(auth.user).toBeNull();
      expect(auth.setCookie).toMatch(/llw_session=;.*Max-Age=0/i);
      expect(await db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst()).toBeUndefined();
    });

    it('a short-lived Lucia session stops validating once its lifetime has passed', async () => {
      const u = await newUser(db);
      const lucia = makeLuciaForTest(db, 1);
      const session = await lucia.createSession(u.id, {});
      expect((await lucia.validateSession(session.id)).session?.id).toBe(session.id);
      await new Promise((r) => setTimeout(r, 1100));
      const v = await lucia.validateSession(session.id);
      expect(v.session).toBeNull();
      expect(v.user).toBeNull();
    });

    it('signing out invalidates the session on the server, not just the cookie', async () => {
      const u = await newUser(db);
      const cookie = await createSessionCookie(u.id, db);
      const other = await createSessionCookie(u.id, db); // another device
      const blank = await signOut(requestWith({ cookie }), db);
      expect(blank).toMatch(/Max-Age=0/i);
      expect((await getAuth(requestWith({ cookie }), db)).user).toBeNull();
      expect((await getAuth(requestWith({ cookie: other }), db)).user?.id).toBe(u.id);
      await invalidateAllSessions(u.id, db);
      expect((await getAuth(requestWith({ cookie: other }), db)).user).toBeNull();
    });
  });

  describe('login rate limit', () => {
    const ip = `203.0.113.${dialect === 'sqlite' ? 10 : 20}`;
    let u: Awaited<ReturnType<typeof newUser>>;
    beforeEach(async () => {
      u = await newUser(db);
      await resetLoginLimits(u.email, ip, db);
    });

    it('after 5 failures even the right password is refused', async () => {
      for (let i = 0; i < 5; i++)
        expect(await signIn(requestWith({ ip }), u.email, 'sai-mat-khau', db)).toEqual({ ok: false, error: 'invalid' });
      const r = await signIn(requestWith({ ip }), u.email, u.password, db);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toBe('rate_limited');
        expect(r.retryAfterS).toBeGreaterThan(800);
      }
      // Case and spaces do not make a new account key.
      expect((await signIn(requestWith({ ip }), `  ${u.email.toUpperCase()} `, u.password, db)).ok).toBe(false);
      // The guesser's address is limited, not the account: its owner signs in from elsewhere.
      expect((await signIn(requestWith({ ip: '192.0.2.99' }), u.email, u.password, db)).ok).toBe(true);
      await resetLoginLimits(u.email, ip, db);
      expect((await signIn(requestWith({ ip }), u.email, u.password, db)).ok).toBe(true);
    });

    it('a successful sign-in clears the account counter', async () => {
      for (let i = 0; i < 4; i++) await signIn(requestWith({ ip }), u.email, 'sai-mat-khau', db);
      expect((await signIn(requestWith({ ip }), u.email, u.password, db)).ok).toBe(true);
      for (let i = 0; i < 4; i++) await signIn(requestWith({ ip }), u.email, 'sai-mat-khau', db);
      expect((await signIn(requestWith({ ip }), u.email, u.password, db)).ok).toBe(true);
      await resetLoginLimits(u.email, ip, db);
    });

    it('30 failures from one address block that address for every account', async () => {
      const attacker = `198.18.0.${dialect === 'sqlite' ? 1 : 2}`;
      await resetLoginLimits(u.email, attacker, db);
      for (let i = 0; i < 30; i++) await signIn(requestWith({ ip: attacker }), `nobody${i}@example.test`, 'x', db);
      const r = await signIn(requestWith({ ip: attacker }), u.email, u.password, db);
      expect(r).toMatchObject({ ok: false, error: 'rate_limited' });
      // Another address is not affected.
      expect((await signIn(requestWith({ ip: '192.0.2.50' }), u.email, u.password, db)).ok).toBe(true);
      await resetLoginLimits(u.email, attacker, db);
    });
  });

  describe('password reset', () => {
    it('a token works once, then never again', async () => {
      const u = await newUser(db);
      const t = await createPasswordResetToken(db, u.email.toUpperCase());
      expect(t?.userId).toBe(u.id);
      expect(await isResetTokenUsable(db, t!.token)).toBe(true);
      expect(await resetPassword(db, t!.token, 'mat-khau-moi-123')).toBe(u.id);
      expect(await authenticate(db, u.email, 'mat-khau-moi-123')).toBe(u.id);
      expect(await authenticate(db, u.email, u.password)).toBeNull();
      expect(await isResetTokenUsable(db, t!.token)).toBe(false);
      expect(await resetPassword(db, t!.token, 'lai-mat-khau-khac')).toBeNull();
      expect(await authenticate(db, u.email, 'mat-khau-moi-123')).toBe(u.id);
    });

    it('two concurrent uses of one token: exactly one succeeds', async () => {
      const u = await newUser(db);
      const t = (await createPasswordResetToken(db, u.email))!;
      const results = await Promise.all([resetPassword(db, t.token, 'ket-qua-thu-nhat'), resetPassword(db, t.token, 'ket-qua-thu-hai')]);
      expect(results.filter((r) => r === u.id)).toHaveLength(1);
      expect(results.filter((r) => r === null)).toHaveLength(1);
    });

    it('an expired token is refused and the password is unchanged', async () => {
      const u = await newUser(db);
      const t = (await createPasswordResetToken(db, u.email))!;
      await db
        .updateTable('password_reset_tokens')
        .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
        .where('user_id', '=', u.id)
        .execute();
      expect(await isResetTokenUsable(db, t.token)).toBe(false);
      expect(await resetPassword(db, t.token, 'mat-khau-moi-123')).toBeNull();
      expect(await authenticate(db, u.email, u.password)).toBe(u.id);
    });

    it('no token for an unknown email, and a made-up token is refused', async () => {
      expect(await createPasswordResetToken(db, 'khong-ton-tai@example.test')).toBeNull();
      expect(await resetPassword(db, 'bịa-đặt', 'mat-khau-moi-123')).toBeNull();
    });
  });

  it('the demo accounts sign in with the demo password', async () => {
    expect(await authenticate(db, 'nguoidan@demo.hoctap.vn', DEMO_PASSWORD)).toBe(users.get('nguoidan@demo.hoctap.vn'));
  });
});
