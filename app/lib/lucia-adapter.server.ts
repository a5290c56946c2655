import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';

import { prepareQuery } from '~/db/prepared';
import { type Role, ROLES } from '~/db/schema';

import type { DB } from './db.server';

/**
 * The session, its user and the roles the user holds anywhere, in one query (the header needs them
 * on every page). Every signed-in request runs it: prepared once per database handle rather than
 * built with a subquery per role each time (~7 % of a contest answer save's CPU), and still run
 * through the handle's executor and plugins (`~/db/prepared`).
 */
const sessionAndUser = prepareQuery((db: DB, sessionId: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as sid', 's.user_id', 's.expires_at', 'u.email', 'u.display_name', 'u.locale', 'u.birth_year', 'u.home_unit_id'])
    .select((eb) =>
      ROLES.map((r) =>
        eb
          .exists(eb.selectFrom('role_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.role', '=', r))
          .as(`has_${r}`),
      ),
    )
    .where('s.id', '=', sessionId),
);

/**
 * Lucia v3's storage adapter written on Kysely, so SQLite and PostgreSQL share it and no
 * adapter package pins a driver. Instants are stored as ISO strings (the schema convention).
 */
export class KyselyLuciaAdapter implements Adapter {
  constructor(private readonly db: DB) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await sessionAndUser.executeTakeFirst(this.db, sessionId);
    if (!row) return [null, null];
    const flags = row as unknown as Record<string, unknown>;
    const roles: Role[] = ROLES.filter((r) => flags[`has_${r}`] === true || Number(flags[`has_${r}`]) === 1);
    const session: DatabaseSession = { id: row.sid, userId: row.user_id, expiresAt: new Date(row.expires_at), attributes: {} };
    const user: DatabaseUser = {
      id: row.user_id,
      attributes: {
        email: row.email,
        display_name: row.display_name,
        locale: row.locale,
        birth_year: row.birth_year,
        home_unit_id: row.home_unit_id,
        roles,
      } as never,
    };
    return [session, user];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: new Date(r.expires_at), attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt.toISOString() })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db.updateTable('sessions').set({ expires_at: expiresAt.toISOString() }).where('id', '=', sessionId).execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', new Date().toISOString()).execute();
  }
}
