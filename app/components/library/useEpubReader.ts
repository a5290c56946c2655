/**
 * epub.js in one hook: renders a book into a container as ONE paginated column that always fits
 * the container (its size measured, never "100%" of something that can grow), lays it out again
 * when the container changes size, turns pages with keys, swipes and tap zones, applies the
 * reader's settings before the first page is shown (so highlights are drawn on the final layout)
 * and redraws highlights after any change of layout.
 */
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';

export type ReaderTheme = 'light' | 'sepia' | 'dark';
export interface ReaderLook {
  fontSize: number;
  theme: ReaderTheme;
  lineHeight: number;
}
export type Toc = Array<{ href: string; label: string }>;

const THEMES: Record<ReaderTheme, Record<string, Record<string, string>>> = {
  light: { body: { background: '#ffffff', color: '#1a1a1a' } },
  sepia: { body: { background: '#f4ecd8', color: '#3b2f1e' } },
  dark: { body: { background: '#1d1d1d', color: '#e8e8e8' }, a: { color: '#9ad' } },
};

// epub.js ships loose types and loads only on this route: its objects stay untyped here.
/* eslint-disable @typescript-eslint/no-explicit-any -- epub.js rendition/book objects (see above) */
type Rendition = any;

export interface EpubReaderOptions {
  viewRef: RefObject<HTMLDivElement | null>;
  /** Gives the book's bytes (from the network, or the offline copy). */
  load: () => Promise<ArrayBuffer>;
  startCfi: string | null;
  look: ReaderLook;
  highlights: string[];
  onRelocated: (cfi: string, label: string, atEnd: boolean) => void;
  onSelected: (cfi: string, text: string) => void;
  /** A tap in the middle third of the page (shows or hides the bar). */
  onTapCentre: () => void;
  /** Set false to wait (e.g. until the offline copy has been checked). */
  enabled: boolean;
}

export function useEpubReader(o: EpubReaderOptions) {
  const renditionRef = useRef<Rendition>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [toc, setToc] = useState<Toc>([]);
  const [chapter, setChapter] = useState('');
  // Callbacks and first values in refs: the book is opened once, not again on every render.
  const latest = useRef(o);
  useEffect(() => {
    latest.current = o;
  });

  const applyLook = useCallback((look: ReaderLook) => {
    const r = renditionRef.current;
    if (!r) return;
    r.themes.select(look.theme);
    r.themes.fontSize(`${look.fontSize}%`);
    r.themes.override('line-height', String(look.lineHeight / 100));
  }, []);

  useEffect(() => {
    if (!o.enabled) return;
    let destroyed = false;
    let book: any = null;
    let observer: ResizeObserver | null = null;
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const el = o.viewRef.current;
    (async () => {
      try {
        const [{ default: ePub }, buf] = await Promise.all([import('epubjs'), latest.current.load()]);
        if (destroyed || !el) return;
        book = ePub(buf);
        const rendition = book.renderTo(el, {
          width: el.clientWidth,
          height: el.clientHeight,
          flow: 'paginated',
          spread: 'none',
          minSpreadWidth: 100_000,
          allowScriptedContent: false,
        });
        renditionRef.current = rendition;
        for (const [name, rules] of Object.entries(THEMES)) rendition.themes.register(name, rules);
        applyLook(latest.current.look);
        const nav = await book.loaded.navigation;
        const items: Toc = nav.toc.map((i: { href: string; label: string }) => ({ href: i.href, label: i.label.trim() }));
        if (destroyed) return;
        setToc(items);
        rendition.on('relocated', (loc: { start: { cfi: string; href: string }; atEnd?: boolean }) => {
          const item = items.find((i) => i.href.split('#')[0] === loc.start.href);
          setChapter(item?.label ?? '');
          latest.current.onRelocated(loc.start.cfi, item?.label ?? '', !!loc.atEnd);
        });
        rendition.on('selected', (cfiRange: string, contents: { window: Window }) => {
          latest.current.onSelected(cfiRange, contents.window.getSelection()?.toString().slice(0, 2000) ?? '');
        });
        rendition.on('keyup', (e: KeyboardEvent) => {
          if (e.key === 'ArrowRight') rendition.next();
          if (e.key === 'ArrowLeft') rendition.prev();
        });
        rendition.hooks.content.register((contents: { document: Document; window: Window }) => {
          const doc = contents.document;
          let x0 = 0;
          let y0 = 0;
          let swiped = false;
          doc.addEventListener(
            'touchstart',
            (e) => {
              x0 = e.changedTouches[0]?.clientX ?? 0;
              y0 = e.changedTouches[0]?.clientY ?? 0;
              swiped = false;
            },
            { passive: true },
          );
          doc.addEventListener('touchend', (e) => {
            const dx = (e.changedTouches[0]?.clientX ?? 0) - x0;
            const dy = (e.changedTouches[0]?.clientY ?? 0) - y0;
            if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) {
              swiped = true;
              if (dx < 0) rendition.next();
              else rendition.prev();
            }
          });
          // Tap zones: left third back, right third forward, middle shows the bar. A tap that ends
          // a selection or follows a link is left alone.
          doc.addEventListener('click', (e) => {
            if (swiped || (e.target as Element | null)?.closest?.('a')) return;
            if (!contents.window.getSelection()?.isCollapsed) return;
            const frame = contents.window.frameElement?.getBoundingClientRect();
            const box = el.getBoundingClientRect();
            const x = (frame?.left ?? 0) + e.clientX - box.left;
            if (x < box.width / 3) rendition.prev();
            else if (x > (box.width * 2) / 3) rendition.next();
            else latest.current.onTapCentre();
          });
        });
        await rendition.display(latest.current.startCfi ?? undefined);
        for (const cfi of latest.current.highlights) rendition.annotations.highlight(cfi, {}, undefined, 'lib-hl');
        // The page must never be wider than its container: lay the book out again at the new size.
        observer = new ResizeObserver(() => {
          clearTimeout(resizeTimer);
          resizeTimer = setTimeout(() => {
            if (!destroyed && el.clientWidth > 0) rendition.resize(el.clientWidth, el.clientHeight);
          }, 150);
        });
        observer.observe(el);
        if (!destroyed) setStatus('ready');
      } catch (e) {
        console.warn('reader: the book could not be opened', e);
        if (!destroyed) setStatus('error');
      }
    })();
    return () => {
      destroyed = true;
      clearTimeout(resizeTimer);
      observer?.disconnect();
      renditionRef.current = null;
      book?.destroy();
    };
  }, [o.enabled, o.viewRef, applyLook]);

  useEffect(() => {
    if (status !== 'ready') return;
    const r = renditionRef.current;
    applyLook(o.look);
    // A new size or spacing moves the words: keep the position and redraw the highlights there.
    const cfi = r?.currentLocation()?.start?.cfi;
    if (cfi) void r.display(cfi).then(() => r.views().forEach((v: any) => v.pane?.render()));
  }, [status, o.look, applyLook]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (target?.closest?.('dialog')) return;
      if (e.key === 'ArrowRight') renditionRef.current?.next();
      if (e.key === 'ArrowLeft') renditionRef.current?.prev();
    };
    window.addEventListener('keyup', onKey);
    return () => window.removeEventListener('keyup', onKey);
  }, []);

  return {
    status,
    toc,
    chapter,
    next: () => renditionRef.current?.next(),
    prev: () => renditionRef.current?.prev(),
    display: (target: string) => renditionRef.current?.display(target),
    currentCfi: (): string | null => renditionRef.current?.currentLocation()?.start?.cfi ?? null,
    highlight: (cfi: string) => renditionRef.current?.annotations.highlight(cfi, {}, undefined, 'lib-hl'),
    clearSelection: () => renditionRef.current?.getContents?.().forEach((c: any) => c.window.getSelection()?.removeAllRanges()),
    visibleText: (): string =>
      (renditionRef.current?.getContents?.() ?? []).map((c: { document: Document }) => c.document.body.innerText).join('\n'),
  };
}
