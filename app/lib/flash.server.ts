/**
 * One-time messages after a redirect ("Đã lưu", "Đã mượn sách"): the action calls
 * `redirectWithFlash(to, { message: 'library.flash.borrowed' })`; the message rides in a short
 * cookie, the root loader reads it once and clears it (`readFlash`), and the layout shows it in an
 * ARIA live region — with or without JavaScript. A reload does not show it again.
 *
 * The cookie holds a translation key and simple params, never HTML; it is rendered through `t()`.
 */
import { redirect } from '@remix-run/node';

import { readCookie } from '~/i18n/i18n.server';

export type FlashKind = 'success' | 'info' | 'error';
export type Flash = { kind: FlashKind; message: string; params?: Record<string, string | number> };

const COOKIE = 'flash';
const KEY = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)+$/;

/** The Set-Cookie header value carrying a one-time message (`redirectWithFlash`'s, for a redirect written outside Remix). */
export function flashCookie(flash: Flash): string {
  const value = encodeURIComponent(JSON.stringify(flash));
  return `${COOKIE}=${value}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax`;
}

export const clearFlashCookie = `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;

/** A redirect carrying a one-time message. Extra headers (another Set-Cookie) are kept. */
export function redirectWithFlash(to: string, flash: { message: string; kind?: FlashKind; params?: Flash['params'] }, init?: ResponseInit) {
  const headers = new Headers(init?.headers);
  headers.append('Set-Cookie', flashCookie({ kind: flash.kind ?? 'success', message: flash.message, params: flash.params }));
  return redirect(to, { ...init, headers });
}

/** The pending flash of this request (if any) and the header that clears it. */
export function readFlash(request: Request): { flash: Flash | null; clear: string | null } {
  let raw: string | null;
  try {
    raw = readCookie(request, COOKIE);
  } catch {
    return { flash: null, clear: clearFlashCookie };
  }
  if (!raw) return { flash: null, clear: null };
  try {
    const v = JSON.parse(raw) as Partial<Flash>;
    if (typeof v.message !== 'string' || !KEY.test(v.message)) return { flash: null, clear: clearFlashCookie };
    const kind: FlashKind = v.kind === 'error' || v.kind === 'info' ? v.kind : 'success';
    const params: Record<string, string | number> = {};
    for (const [k, p] of Object.entries(v.params ?? {}))
      if (typeof p === 'string' || typeof p === 'number') params[k] = String(p).slice(0, 200);
    return { flash: { kind, message: v.message, params }, clear: clearFlashCookie };
  } catch {
    return { flash: null, clear: clearFlashCookie };
  }
}
