import type { Kysely } from 'kysely';

// Frozen once landed: the library area's tables. (Owned by the library work until first landing.)
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
