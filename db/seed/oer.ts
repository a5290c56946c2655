import type { DB } from '../connection';

/** Demo content of the oer area (idempotent). */
export async function seedOer(_db: DB, _units: Map<string, string>, _users: Map<string, string>): Promise<void> {}
