import type { DB } from '../connection';

/** Demo content of the courses area (idempotent). */
export async function seedCourses(_db: DB, _units: Map<string, string>, _users: Map<string, string>): Promise<void> {}
