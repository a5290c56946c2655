import type { DB } from '../connection';

/** Demo content of the library area (idempotent). */
export async function seedLibrary(_db: DB, _units: Map<string, string>, _users: Map<string, string>): Promise<void> {}
