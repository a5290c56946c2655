/**
 * Dates as Vietnamese users read them: dd/MM/yyyy, times in Asia/Ho_Chi_Minh, whatever the
 * server's or browser's own zone. Shared by server and client (Intl only: no extra bundle).
 * Displaying a date lives in ./dates-format.ts (re-exported here): pages that only show dates —
 * the home page — import it directly, so their first-load JavaScript leaves out the form helpers below.
 */
import { parts, VN_OFFSET_MIN } from './dates-format';

export { formatDate, formatDateTime, formatTime, TIME_ZONE } from './dates-format';

/** `YYYY-MM-DDTHH:mm` for an <input type="datetime-local">, in Vietnam time. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = parts(new Date(iso));
  return `${p.y}-${p.m}-${p.d}T${p.h}:${p.mi}`;
}

/** Reads a datetime-local value typed in Vietnam time; null when it is not a real instant. */
export function fromLocalInput(v: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!) - VN_OFFSET_MIN * 60_000;
  const date = new Date(ms);
  if (Number.isNaN(ms) || toLocalInput(date.toISOString()) !== v.trim()) return null;
  return date.toISOString();
}

/** Today's calendar date in Vietnam, `YYYY-MM-DD`. */
export function todayInVietnam(now = new Date()): string {
  const p = parts(now);
  return `${p.y}-${p.m}-${p.d}`;
}

/** Reads a day typed as dd/MM/yyyy (what Vietnamese forms ask for); `YYYY-MM-DD`, or null when it is not a real date. */
export function parseViDate(v: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** A day (dd/MM/yyyy) and a time (HH:mm) typed in Vietnam time, as an ISO instant; null when not real. */
export function viDateTimeToIso(day: string, time: string): string | null {
  const ymd = parseViDate(day);
  const t = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!ymd || !t || Number(t[1]) > 23 || Number(t[2]) > 59) return null;
  return fromLocalInput(`${ymd}T${t[1]!.padStart(2, '0')}:${t[2]}`);
}
