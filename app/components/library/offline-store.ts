/**
 * The reader's offline store, in the browser only: books downloaded for offline reading (the file
 * in Cache Storage, what we know of it in localStorage), and the queue of reading positions,
 * bookmarks, highlights and settings made while offline, sent when the network returns.
 * Everything is kept per user, so two people sharing a phone do not see each other's books.
 */

export const BOOKS_CACHE = 'llw-books';
export const PAGES_CACHE = 'llw-pages';

export interface OfflineBook {
  slug: string;
  title: string;
  author: string;
  fileUrl: string;
  /** End of the loan; null for an open-access book. The copy is refused and removed after it. */
  dueAt: string | null;
  savedAt: string;
}

export interface QueuedSave {
  /** Where to post: the book's annotate endpoint or the settings endpoint. */
  url: string;
  body: Record<string, string>;
  /** Positions and settings keep only the latest per key; annotations are all kept. */
  key: string | null;
}

const booksKey = (userId: string) => `llw.offline.books.${userId}`;
const queueKey = (userId: string) => `llw.offline.queue.${userId}`;
const positionKey = (userId: string, slug: string) => `llw.reader.position.${userId}.${slug}`;
const settingsKey = (userId: string) => `llw.reader.settings.${userId}`;

function read<T>(key: string, fallback: T): T {
  try {
    const raw = window.localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
function write(key: string, value: unknown) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: offline saving is a convenience, reading goes on */
  }
}

export function hasOfflineSupport(): boolean {
  return typeof window !== 'undefined' && 'caches' in window && 'localStorage' in window;
}

export function listOfflineBooks(userId: string): OfflineBook[] {
  return read<OfflineBook[]>(booksKey(userId), []);
}

export function offlineBook(userId: string, slug: string): OfflineBook | undefined {
  return listOfflineBooks(userId).find((b) => b.slug === slug);
}

/** True when the offline copy may be read now: open access, or a loan that has not ended. */
export function stillLent(b: { dueAt: string | null }, now = new Date()): boolean {
  return b.dueAt == null || new Date(b.dueAt).getTime() > now.getTime();
}

/** Downloads the book file and the reader page so both open without a network. */
export async function saveBookOffline(userId: string, book: Omit<OfflineBook, 'savedAt'>, readerPath: string): Promise<void> {
  const res = await fetch(book.fileUrl, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`file ${res.status}`);
  const cache = await caches.open(BOOKS_CACHE);
  await cache.put(book.fileUrl, res);
  const pages = await caches.open(PAGES_CACHE);
  await pages.add(new Request(readerPath, { credentials: 'same-origin' })).catch(() => undefined);
  const others = listOfflineBooks(userId).filter((b) => b.slug !== book.slug);
  write(booksKey(userId), [...others, { ...book, savedAt: new Date().toISOString() }]);
}

export async function removeOfflineBook(userId: string, slug: string): Promise<void> {
  const books = listOfflineBooks(userId);
  const gone = books.find((b) => b.slug === slug);
  write(
    booksKey(userId),
    books.filter((b) => b.slug !== slug),
  );
  if (gone && 'caches' in window) {
    const cache = await caches.open(BOOKS_CACHE);
    await cache.delete(gone.fileUrl);
  }
}

/** Removes every offline copy whose loan has ended. Returns the slugs removed. */
export async function pruneOfflineBooks(userId: string, now = new Date()): Promise<string[]> {
  const expired = listOfflineBooks(userId).filter((b) => !stillLent(b, now));
  for (const b of expired) await removeOfflineBook(userId, b.slug);
  return expired.map((b) => b.slug);
}

/** The downloaded file, if this book was saved for offline reading. */
export async function offlineFile(fileUrl: string): Promise<ArrayBuffer | null> {
  if (!('caches' in window)) return null;
  const cache = await caches.open(BOOKS_CACHE);
  const res = await cache.match(fileUrl);
  return res ? res.arrayBuffer() : null;
}

export function localPosition(userId: string, slug: string): { cfi: string; at: string } | null {
  return read<{ cfi: string; at: string } | null>(positionKey(userId, slug), null);
}
export function rememberPosition(userId: string, slug: string, cfi: string, at: string) {
  write(positionKey(userId, slug), { cfi, at });
}

export interface LocalSettings {
  fontSize: number;
  theme: 'light' | 'sepia' | 'dark';
  lineHeight: number;
  at: string;
}
export function localSettings(userId: string): LocalSettings | null {
  return read<LocalSettings | null>(settingsKey(userId), null);
}
export function rememberSettings(userId: string, s: LocalSettings) {
  write(settingsKey(userId), s);
}

export function queuedCount(userId: string): number {
  return read<QueuedSave[]>(queueKey(userId), []).length;
}

function enqueue(userId: string, item: QueuedSave) {
  const q = read<QueuedSave[]>(queueKey(userId), []);
  write(queueKey(userId), [...(item.key ? q.filter((x) => x.key !== item.key) : q), item]);
}

/**
 * Sends one save now, or queues it when the network is down. Resolves with the server's JSON
 * answer, or null when queued (or refused).
 */
export async function sendOrQueue<T>(userId: string, item: QueuedSave): Promise<T | null> {
  try {
    const res = await post(item);
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    enqueue(userId, item);
    return null;
  }
}

function post(item: QueuedSave) {
  const body = new FormData();
  for (const [k, v] of Object.entries(item.body)) body.set(k, v);
  return fetch(item.url, { method: 'POST', body, credentials: 'same-origin' });
}

let flushing: Promise<number> | null = null;

/**
 * Sends the queue in order. Each save carries the time it was made, so the server keeps whichever
 * is newer when another device saved meanwhile. A refused save (loan ended, bad input) is dropped;
 * a network error stops the flush and keeps the rest for later. Returns how many were sent.
 */
export function flushQueue(userId: string): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    try {
      for (;;) {
        const q = read<QueuedSave[]>(queueKey(userId), []);
        const item = q[0];
        if (!item) break;
        try {
          await post(item);
        } catch {
          break;
        }
        sent++;
        const rest = read<QueuedSave[]>(queueKey(userId), []);
        write(
          queueKey(userId),
          rest.filter((x) => x !== rest[0] || JSON.stringify(x) !== JSON.stringify(item)),
        );
      }
    } finally {
      flushing = null;
    }
    return sent;
  })();
  return flushing;
}

/** A random id for an annotation made in this browser (resending it adds it once). */
export function clientRef(): string {
  const a = new Uint8Array(12);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}
