/**
 * Who is signed in on this device — apart from offline-store.ts so that every page's
 * OfflineNotice records it without the whole offline store in the first-load JavaScript
 * (OfflineNotice loads the store only to send a signed-in reader's queued saves). Not re-exported
 * by offline-store: then it would be a chunk of its own instead of part of the layout's.
 */

const USER_KEY = 'llw.offline.user';

/**
 * Who is signed in on this device, as last seen online. A page saved for offline use may have
 * been saved before sign-in; the offline page and reader use this id to find the saved books.
 */
export function offlineUserId(rootUserId: string | null): string | null {
  if (typeof window === 'undefined') return rootUserId;
  try {
    if (navigator.onLine) {
      if (rootUserId) window.localStorage.setItem(USER_KEY, JSON.stringify(rootUserId));
      else window.localStorage.removeItem(USER_KEY);
      return rootUserId;
    }
    const raw = window.localStorage.getItem(USER_KEY);
    return rootUserId ?? (raw ? (JSON.parse(raw) as string | null) : null);
  } catch {
    return rootUserId; // storage disabled or full: offline saving is a convenience, reading goes on
  }
}
