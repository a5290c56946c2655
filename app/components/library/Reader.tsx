/**
 * The full-screen reader: a thin top bar (hidden while reading, back on a tap in the middle of
 * the page or on focus), the book in one column that fits the screen, page buttons at the bottom,
 * and every other control in a sheet (a modal <dialog>). Saves go through the offline store, so a
 * reader without network keeps reading and their position, bookmarks and highlights are sent later.
 */
import { Link } from '@remix-run/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { useT } from '~/i18n/i18n';
import { formatDate } from '~/lib/dates';

import {
  clientRef,
  flushQueue,
  hasOfflineSupport,
  localPosition,
  localSettings,
  offlineBook,
  offlineFile,
  rememberPosition,
  rememberSettings,
  removeOfflineBook,
  saveBookOffline,
  sendOrQueue,
  stillLent,
} from './offline-store';
import { type ReaderLook, type ReaderTheme, useEpubReader } from './useEpubReader';
import { useReadAloud } from './useReadAloud';

export interface ReaderData {
  book: { slug: string; title: string; author: string };
  fileUrl: string;
  signedIn: boolean;
  openAccess: boolean;
  dueAt: string | null;
  position: { cfi: string; updatedAt: string } | null;
  annotations: Array<{ id: string; kind: 'bookmark' | 'highlight'; cfi: string; excerpt: string | null; note: string | null }>;
  settings: { fontSize: number; theme: ReaderTheme; lineHeight: number; updatedAt: string | null } | null;
}

const DEFAULT_LOOK: ReaderLook = { fontSize: 110, theme: 'light', lineHeight: 150 };
type Phase = 'checking' | 'open' | 'expired';
type OfflineState = 'none' | 'saving' | 'saved' | 'failed';

export function Reader({ d, userId }: { d: ReaderData; userId: string | null }) {
  const { t } = useT();
  const viewRef = useRef<HTMLDivElement>(null);
  const sheetRef = useRef<HTMLDialogElement>(null);
  const annotateUrl = `/library/${d.book.slug}/annotate`;
  const readerPath = `/library/${d.book.slug}/read`;
  const [phase, setPhase] = useState<Phase>('checking');
  const [startCfi, setStartCfi] = useState<string | null>(d.position?.cfi ?? null);
  const [look, setLook] = useState<ReaderLook>(d.settings ?? DEFAULT_LOOK);
  const [barHidden, setBarHidden] = useState(false);
  const [selection, setSelection] = useState<{ cfi: string; text: string } | null>(null);
  const [note, setNote] = useState('');
  const [annotations, setAnnotations] = useState(d.annotations);
  const [savedAt, setSavedAt] = useState(false);
  const [offline, setOffline] = useState<OfflineState>('none');
  const [canSaveOffline, setCanSaveOffline] = useState(false);
  const [fromOfflineCopy, setFromOfflineCopy] = useState(false);
  const [cfi, setCfi] = useState('');
  const [atEnd, setAtEnd] = useState(false);
  const turned = useRef(false);

  // In the browser only: the newer of the server's and this device's position and settings, and
  // the loan check for an offline copy (a loan that has ended is refused even without network).
  useEffect(() => {
    const now = new Date();
    if (userId) {
      const mine = offlineBook(userId, d.book.slug);
      if ((d.dueAt && !stillLent({ dueAt: d.dueAt }, now)) || (mine && !stillLent(mine, now))) {
        void removeOfflineBook(userId, d.book.slug);
        setPhase('expired');
        return;
      }
      setOffline(mine ? 'saved' : 'none');
      const local = localPosition(userId, d.book.slug);
      if (local && (!d.position || local.at > d.position.updatedAt)) setStartCfi(local.cfi);
      const ls = localSettings(userId);
      if (ls && (!d.settings?.updatedAt || ls.at > d.settings.updatedAt))
        setLook({ fontSize: ls.fontSize, theme: ls.theme, lineHeight: ls.lineHeight });
      void flushQueue(userId);
      const onOnline = () => void flushQueue(userId);
      window.addEventListener('online', onOnline);
      setCanSaveOffline(hasOfflineSupport() && d.signedIn);
      setPhase('open');
      return () => window.removeEventListener('online', onOnline);
    }
    setPhase('open');
  }, [userId, d.book.slug, d.dueAt, d.position, d.settings, d.signedIn]);

  const load = useCallback(async () => {
    let res: Response | null = null;
    try {
      res = await fetch(d.fileUrl, { credentials: 'same-origin' });
    } catch {
      res = null; // no network: the offline copy, if any
    }
    if (res?.ok) return res.arrayBuffer();
    if (res && (res.status === 403 || res.status === 404)) {
      if (userId) await removeOfflineBook(userId, d.book.slug);
      throw new Error(`file ${res.status}`);
    }
    const copy = await offlineFile(d.fileUrl);
    if (!copy) throw new Error('offline without a copy');
    setFromOfflineCopy(true);
    return copy;
  }, [d.fileUrl, d.book.slug, userId]);

  const onRelocated = useCallback(
    (cfi: string, label: string, end: boolean) => {
      setCfi(cfi);
      setAtEnd(end);
      // The bar stays for the first page and hides once the reader turns pages.
      if (turned.current) setBarHidden(true);
      turned.current = true;
      if (!d.signedIn || !userId) return;
      const at = new Date().toISOString();
      rememberPosition(userId, d.book.slug, cfi, at);
      void sendOrQueue<{ ok: boolean }>(userId, {
        url: annotateUrl,
        body: { intent: 'position', cfi, label, at },
        key: `position:${d.book.slug}`,
      }).then((r) => setSavedAt(!!r?.ok));
    },
    [d.signedIn, d.book.slug, userId, annotateUrl],
  );
  const onSelected = useCallback((cfi: string, text: string) => setSelection({ cfi, text }), []);
  const onTapCentre = useCallback(() => setBarHidden((h) => !h), []);
  const highlights = useMemo(() => d.annotations.filter((a) => a.kind === 'highlight').map((a) => a.cfi), [d.annotations]);

  const r = useEpubReader({ viewRef, load, startCfi, look, highlights, onRelocated, onSelected, onTapCentre, enabled: phase === 'open' });
  const speech = useReadAloud(r.visibleText);

  const changeLook = (next: Partial<ReaderLook>) => {
    const s = { ...look, ...next };
    setLook(s);
    if (!userId) return;
    const at = new Date().toISOString();
    rememberSettings(userId, { ...s, at });
    void sendOrQueue(userId, {
      url: '/library/reader-settings',
      body: { fontSize: String(s.fontSize), theme: s.theme, lineHeight: String(s.lineHeight), at },
      key: 'settings',
    });
  };

  const addAnnotation = async (kind: 'bookmark' | 'highlight', cfi: string, excerpt: string, text: string) => {
    if (!userId) return null;
    const ref = clientRef();
    const at = new Date().toISOString();
    const body: Record<string, string> = { intent: kind, cfi, excerpt, at, ref };
    if (kind === 'highlight') body.note = text;
    const res = await sendOrQueue<{ ok: boolean; id?: string }>(userId, { url: annotateUrl, body, key: null });
    // Queued offline: shown now under its own reference, stored on the server at reconnection.
    return res?.id ?? ref;
  };

  const addBookmark = async () => {
    const cfi = r.currentCfi();
    if (!cfi) return;
    const id = await addAnnotation('bookmark', cfi, r.chapter, '');
    if (id) setAnnotations((xs) => [...xs, { id, kind: 'bookmark', cfi, excerpt: r.chapter, note: null }]);
  };

  const addHighlight = async () => {
    if (!selection) return;
    const id = await addAnnotation('highlight', selection.cfi, selection.text, note);
    if (!id) return;
    r.highlight(selection.cfi);
    r.clearSelection();
    setAnnotations((xs) => [...xs, { id, kind: 'highlight', cfi: selection.cfi, excerpt: selection.text, note: note || null }]);
    setSelection(null);
    setNote('');
  };

  const toggleOffline = async () => {
    if (!userId) return;
    if (offline === 'saved') {
      await removeOfflineBook(userId, d.book.slug);
      setOffline('none');
      return;
    }
    setOffline('saving');
    try {
      await saveBookOffline(
        userId,
        { slug: d.book.slug, title: d.book.title, author: d.book.author, fileUrl: d.fileUrl, dueAt: d.openAccess ? null : d.dueAt },
        readerPath,
      );
      setOffline('saved');
    } catch {
      setOffline('failed');
    }
  };

  const status =
    phase === 'expired'
      ? t('library.reader.expired')
      : r.status === 'loading'
        ? t('library.reader.loading')
        : r.status === 'error'
          ? t('library.reader.error')
          : r.chapter;

  return (
    <div className={`rd rd-${look.theme}`}>
      <noscript>
        <style>{'.rd-js{display:none!important}'}</style>
        <div className="rd-nojs card">
          <h1>{d.book.title}</h1>
          <p>{t('library.reader.noJs')}</p>
          <p className="actions">
            {d.openAccess ? (
              <a href={d.fileUrl} className="button primary" download={`${d.book.slug}.epub`}>
                {t('library.title.download')}
              </a>
            ) : null}
            <a href={`/library/${d.book.slug}`} className="button secondary">
              {t('library.reader.backToBook')}
            </a>
          </p>
        </div>
      </noscript>
      <header className={`rd-bar rd-js${barHidden ? ' is-hidden' : ''}`}>
        <Link to={`/library/${d.book.slug}`} className="rd-back" aria-label={t('library.reader.backToBook')}>
          ‹
        </Link>
        <h1 className="rd-title">{d.book.title}</h1>
      </header>
      <p aria-live="polite" className="rd-status rd-js" data-testid="chapter">
        {status}
        {savedAt ? ` · ${t('library.reader.saved')}` : null}
        {fromOfflineCopy ? ` · ${t('library.reader.offlineCopy')}` : null}
      </p>
      <div
        ref={viewRef}
        className={`lib-reader-view rd-view rd-js ${look.theme}`}
        data-status={phase === 'expired' ? 'expired' : r.status}
        data-chapter={r.chapter}
        data-cfi={cfi}
        data-at-end={atEnd ? 'true' : undefined}
      />
      {phase === 'expired' ? (
        <p className="rd-expired card rd-js">
          {t('library.reader.expiredLong')} <Link to={`/library/${d.book.slug}`}>{t('library.reader.backToBook')}</Link>
        </p>
      ) : null}
      <nav className="rd-foot rd-js" aria-label={t('library.reader.pages')}>
        <button type="button" className="secondary" onClick={r.prev}>
          ‹ <span className="rd-foot-label">{t('library.reader.prev')}</span>
        </button>
        <button type="button" className="rd-menu" aria-haspopup="dialog" onClick={() => sheetRef.current?.showModal()}>
          {t('library.reader.menu')}
        </button>
        <button type="button" className="secondary" onClick={r.next}>
          <span className="rd-foot-label">{t('library.reader.next')}</span> ›
        </button>
      </nav>
      {selection && d.signedIn ? (
        <div className="rd-selection lib-reader-side" role="region" aria-label={t('library.reader.highlight')}>
          <p>
            <q>{selection.text.slice(0, 200)}</q>
          </p>
          <label htmlFor="hl-note">{t('library.reader.note')}</label>
          <textarea id="hl-note" value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
          <div className="actions">
            <button type="button" className="primary" onClick={addHighlight}>
              {t('library.reader.highlight')}
            </button>
            <button type="button" className="secondary" onClick={() => setSelection(null)}>
              {t('library.reader.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      <dialog ref={sheetRef} className="rd-sheet" aria-labelledby="rd-sheet-h">
        <div className="rd-sheet-head">
          <h2 id="rd-sheet-h">{t('library.reader.tools')}</h2>
          <button type="button" className="secondary" onClick={() => sheetRef.current?.close()}>
            {t('library.reader.close')}
          </button>
        </div>
        <label className="rd-field">
          {t('library.reader.toc')}
          <select
            value={r.toc.find((i) => i.label === r.chapter)?.href ?? ''}
            onChange={(e) => {
              if (!e.target.value) return;
              void r.display(e.target.value);
              sheetRef.current?.close();
            }}
            data-testid="toc"
          >
            <option value="">—</option>
            {r.toc.map((i) => (
              <option key={i.href} value={i.href}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
        <div className="rd-field" role="group" aria-labelledby="rd-size-l">
          <span id="rd-size-l">{t('library.reader.fontSize', { size: look.fontSize })}</span>
          <span className="actions">
            <button type="button" className="secondary" onClick={() => changeLook({ fontSize: Math.max(80, look.fontSize - 10) })}>
              <span aria-hidden="true">A−</span>
              <span className="visually-hidden">{t('library.reader.smaller')}</span>
            </button>
            <button type="button" className="secondary" onClick={() => changeLook({ fontSize: Math.min(200, look.fontSize + 10) })}>
              <span aria-hidden="true">A+</span>
              <span className="visually-hidden">{t('library.reader.larger')}</span>
            </button>
          </span>
        </div>
        <label className="rd-field">
          {t('library.reader.theme')}
          <select value={look.theme} onChange={(e) => changeLook({ theme: e.target.value as ReaderTheme })}>
            <option value="light">{t('library.reader.light')}</option>
            <option value="sepia">{t('library.reader.sepia')}</option>
            <option value="dark">{t('library.reader.dark')}</option>
          </select>
        </label>
        <label className="rd-field">
          {t('library.reader.lineSpacing')}
          <select value={look.lineHeight} onChange={(e) => changeLook({ lineHeight: Number(e.target.value) })}>
            <option value={130}>{t('library.reader.spacingTight')}</option>
            <option value={150}>{t('library.reader.spacingNormal')}</option>
            <option value={180}>{t('library.reader.spacingWide')}</option>
          </select>
        </label>
        <div className="rd-field actions">
          {speech.state === 'ready' || speech.state === 'no-voice' ? (
            <button type="button" className="secondary" onClick={speech.toggle} aria-pressed={speech.speaking}>
              {speech.speaking ? t('library.reader.stopReading') : t('library.reader.readAloud')}
            </button>
          ) : null}
          {d.signedIn ? (
            <button type="button" className="secondary" onClick={addBookmark}>
              {t('library.reader.bookmark')}
            </button>
          ) : null}
          {canSaveOffline ? (
            <button
              type="button"
              className="secondary"
              onClick={toggleOffline}
              disabled={offline === 'saving'}
              data-testid="offline-toggle"
            >
              {offline === 'saved' ? t('library.reader.removeOffline') : t('library.reader.saveOffline')}
            </button>
          ) : null}
        </div>
        <p role="status" className="muted">
          {speech.state === 'unsupported'
            ? t('library.reader.noSpeech')
            : speech.refused || speech.state === 'no-voice'
              ? t('library.reader.noVietnameseVoice')
              : ''}
          {offline === 'saved'
            ? ` ${d.dueAt && !d.openAccess ? t('library.reader.offlineUntil', { date: formatDate(d.dueAt) }) : t('library.reader.offlineSaved')}`
            : offline === 'failed'
              ? ` ${t('library.reader.offlineFailed')}`
              : ''}
        </p>
        {annotations.length > 0 ? (
          <section aria-labelledby="ann-h">
            <h3 id="ann-h">{t('library.notes.title')}</h3>
            <ul className="rd-notes">
              {annotations.map((a) => (
                <li key={a.id}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      void r.display(a.cfi);
                      sheetRef.current?.close();
                    }}
                  >
                    {a.kind === 'bookmark' ? '🔖 ' : '🖍 '}
                    {a.excerpt || t('library.notes.untitled')}
                  </button>
                  {a.note ? <span className="muted"> — {a.note}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p>
          <Link to="/library/notes">{t('library.notes.all')}</Link> · <a href="/offline">{t('library.reader.offlineList')}</a>
        </p>
      </dialog>
    </div>
  );
}
