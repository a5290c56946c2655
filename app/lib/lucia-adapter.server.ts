import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';

import { type Role, ROLES } from '~/db/schema';

import type { DB } from './db.server';

/**
 * Lucia v3's storage adapter written on Kysely, so SQLite and PostgreSQL share it and no
 * adapter package pins a driver. Instants are stored as ISO strings (the schema convention).
 */
export class KyselyLuciaAdapter implements Adapter {
  constructor(private readonly db: DB) {}

  /**
   * The session query without its session id, built once per adapter (one per database handle):
   * building its subquery per role with Kysely was most of the session lookup's CPU on every
   * signed-in request (issue 12). Each lookup adds its `where` and runs it through this handle as
   * any query (compiled there, so plugins such as the tests' query counter still see it).
   */
  private sessionQuery: ReturnType<KyselyLuciaAdapter['buildSessionQuery']> | null = null;

  private buildSessionQuery() {
    return (
      this.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['s.id as sid', 's.user_id', 's.expires_at', 'u.email', 'u.display_name', 'u.locale', 'u.birth_year', 'u.home_unit_id'])
        // The roles the user holds anywhere, in the same query (the header needs them on every page).
        .select((eb) =>
          ROLES.map((r) =>
            eb
              .exists(eb.selectFrom('role_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.role', '=', r))
              .as(`has_${r}`),
          ),
        )
    );
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    this.sessionQuery ??= this.buildSessionQuery();
    const row = await this.sessionQuery.where('s.id', '=', sessionId).executeTakeFirst();
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
