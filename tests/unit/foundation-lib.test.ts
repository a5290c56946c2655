/** What users see from the small shared helpers: Vietnamese dates, safe Markdown, safe redirects. */
import { describe, expect, it } from 'vitest';

import { formatDate, formatDateTime, fromLocalInput, todayInVietnam, toLocalInput } from '~/lib/dates';
import { safeRedirect } from '~/lib/http.server';
import { newId, newTimeOrderedId } from '~/lib/ids.server';
import { renderMarkdown } from '~/lib/markdown.server';

describe('dates in Vietnam time', () => {
  it('formats calendar dates as dd/MM/yyyy, the day in Vietnam', () => {
    expect(formatDate('2024-10-01')).toBe('01/10/2024');
    // 20:30 UTC on 30 September is already 1 October in Hà Nội.
    expect(formatDate('2024-09-30T20:30:00.000Z')).toBe('01/10/2024');
    expect(formatDateTime('2024-10-01T01:00:00.000Z')).toBe('01/10/2024 08:00');
  });

  it('round-trips datetime-local values typed in Vietnam time', () => {
    expect(fromLocalInput('2024-10-01T08:00')).toBe('2024-10-01T01:00:00.000Z');
    expect(toLocalInput('2024-10-01T01:00:00.000Z')).toBe('2024-10-01T08:00');
    expect(fromLocalInput('2024-02-30T08:00')).toBeNull();
    expect(fromLocalInput('not a date')).toBeNull();
  });

  it('gives the same figures as the time-zone database, before and after Vietnam settled on UTC+7', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const expected = (d: Date) => intl.format(d).replace(',', '');
    // Around the switch (13/06/1975), across years and leap days, and a run of arbitrary instants.
    const instants = [Date.UTC(1975, 5, 12, 16, 59), Date.UTC(1975, 5, 12, 17, 0), Date.UTC(1970, 0, 1), Date.UTC(2024, 1, 28, 17, 0)];
    for (let t = Date.UTC(1975, 0, 1), i = 0; i < 400; i++, t += 97_213_417_331 % (i * 7_919_000_000 + 1)) instants.push(t);
    for (const t of instants) expect(formatDateTime(new Date(t))).toBe(expected(new Date(t)));
  });

  it("gives today's date in Vietnam", () => {
    expect(todayInVietnam(new Date('2024-09-30T17:00:00.000Z'))).toBe('2024-10-01');
    expect(todayInVietnam(new Date('2024-09-30T16:59:00.000Z'))).toBe('2024-09-30');
  });
});

describe('Markdown written by users', () => {
  it('keeps formatting and removes scripts, handlers and javascript: links', () => {
    const html = renderMarkdown('**Đọc sách** <script>alert(1)</script> <img src="x" onerror="alert(1)"> [x](javascript:alert(1))');
    expect(html).toContain('<strong>Đọc sách</strong>');
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
  });

  it('opens external links safely in a new tab', () => {
    expect(renderMarkdown('[Bộ GDĐT](https://moet.gov.vn)')).toContain('rel="noopener noreferrer nofollow"');
  });
});

describe('redirects after sign-in stay on this site', () => {
  it('accepts local paths and refuses other sites', () => {
    expect(safeRedirect('/weeks/2024?x=1')).toBe('/weeks/2024?x=1');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'weeks', null, undefined])
      expect(safeRedirect(bad)).toBe('/');
  });
});

describe('ids', () => {
  it('time-ordered ids look like the others and sort by when they were made', () => {
    const t = Date.UTC(2026, 11, 2, 10, 0, 0);
    const ids = [t, t + 1, t + 1_000, t + 86_400_000, Date.UTC(2030, 0, 1)].map((ms) => newTimeOrderedId(ms));
    for (const id of [...ids, newId()]) expect(id).toMatch(/^[0-9a-z]{16}$/);
    expect([...ids].sort()).toEqual(ids);
    // The same millisecond: the random part keeps them apart.
    const same = new Set(Array.from({ length: 10_000 }, () => newTimeOrderedId(t)));
    expect(same.size).toBe(10_000);
    expect(newTimeOrderedId(t).slice(0, 9)).toBe(t.toString(36).padStart(9, '0'));
  });
});
