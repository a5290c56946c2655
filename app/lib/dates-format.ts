/**
 * Showing dates as Vietnamese users read them (dd/MM/yyyy, times in Asia/Ho_Chi_Minh): the part of
 * ./dates.ts (which re-exports it) that display-only pages need, kept apart so their first-load
 * JavaScript does not carry the form helpers (parsing dd/MM/yyyy, datetime-local inputs).
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const VN_OFFSET_MIN = 7 * 60; // Vietnam has kept UTC+7 without daylight saving since 1975.

// Built once: constructing an Intl.DateTimeFormat costs far more than formatting with one
// (it was 10 % of a page's server time when made per call).
const FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// Asia/Ho_Chi_Minh has been UTC+7 since 13/06/1975 (tzdata): from then on a shifted UTC clock gives
// the same figures as the formatter at a fraction of the cost (formatToParts was 3–4 % of a Week
// page's CPU, one call per activity). Earlier instants (other offsets then) still go through Intl.
const FIXED_OFFSET_SINCE = Date.UTC(1975, 5, 12, 17);
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Year, month, day, hour and minute of an instant in Vietnam (for ./dates.ts). */
export function parts(d: Date) {
  const t = d.getTime();
  if (t >= FIXED_OFFSET_SINCE) {
    const v = new Date(t + VN_OFFSET_MIN * 60_000);
    return {
      y: String(v.getUTCFullYear()),
      m: pad2(v.getUTCMonth() + 1),
      d: pad2(v.getUTCDate()),
      h: pad2(v.getUTCHours()),
      mi: pad2(v.getUTCMinutes()),
    };
  }
  const f = FORMAT.formatToParts(d);
  const get = (t: string) => f.find((p) => p.type === t)?.value ?? '';
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

function toDate(v: string | Date): Date {
  if (v instanceof Date) return v;
  // A bare calendar date is a day in Vietnam, not midnight UTC.
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00+07:00`) : new Date(v);
}

export function formatDate(v: string | Date): string {
  // A bare calendar date is already the day in Vietnam: no formatter needed (lists of dates showed
  // formatToParts in the CPU profile of pages).
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)}`;
  const p = parts(toDate(v));
  return `${p.d}/${p.m}/${p.y}`;
}

export function formatDateTime(v: string | Date): string {
  const p = parts(toDate(v));
  return `${p.d}/${p.m}/${p.y} ${p.h}:${p.mi}`;
}

export function formatTime(v: string | Date): string {
  const p = parts(toDate(v));
  return `${p.h}:${p.mi}`;
}
