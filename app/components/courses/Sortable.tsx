/**
 * Reordering a list (a course's modules, or one module's lessons) by drag and drop or with the
 * keyboard — a progressive enhancement over the up/down buttons, which stay and work without
 * JavaScript. Until hydration nothing here renders (no handle, rows not draggable).
 *
 * Mouse: rows are native HTML5 draggables; a line shows where the row will land; the drop sends
 * the new order through a fetcher. Keyboard (and screen readers): the grab button picks the row
 * up (Space/Enter), the arrow keys move it, Space/Enter drops it, Escape puts it back; every step
 * is announced in an aria-live region.
 */
import { useFetcher } from '@remix-run/react';
import {
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

import { useT } from '~/i18n/i18n';
import { reorderAnnouncement } from '~/i18n/labels';

export interface SortableItem {
  id: string;
  title: string;
}

/** What a row needs: spread `rowProps` on its <li>, place `handle` (null before hydration) in it. */
export interface SortRow {
  rowProps: {
    draggable?: boolean;
    className?: string;
    'data-sortable-id': string;
    onMouseDownCapture?: (e: MouseEvent<HTMLElement>) => void;
    onDragStart?: (e: DragEvent<HTMLElement>) => void;
    onDragOver?: (e: DragEvent<HTMLElement>) => void;
    onDrop?: (e: DragEvent<HTMLElement>) => void;
    onDragEnd?: (e: DragEvent<HTMLElement>) => void;
  };
  handle: ReactNode;
}

type ReorderData = { intent?: string; ok?: boolean; errors?: Record<string, string> };

function useHydrated() {
  const [h, setH] = useState(false);
  useEffect(() => setH(true), []);
  return h;
}

/** Text fields inside a draggable row must keep mouse text selection: no drag from them. */
function isEditable(el: EventTarget | null): boolean {
  return (
    el instanceof HTMLElement &&
    (el.matches('input, textarea, select, [contenteditable="true"]') || el.closest('[contenteditable="true"]') !== null)
  );
}

function moveTo(order: string[], id: string, index: number): string[] {
  const rest = order.filter((x) => x !== id);
  rest.splice(Math.max(0, Math.min(index, rest.length)), 0, id);
  return rest;
}

export function SortableList<T extends SortableItem>({
  items,
  intent,
  moduleId,
  className,
  renderRow,
}: {
  items: T[];
  intent: 'reorder-modules' | 'reorder-lessons';
  moduleId?: string;
  className: string;
  renderRow: (item: T, index: number, total: number, sort: SortRow) => ReactNode;
}) {
  const { t } = useT();
  const hydrated = useHydrated();
  const fetcher = useFetcher<ReorderData>();
  const instructionsId = useId();

  // The shown order: the server's, until the user moves something (then optimistic until the
  // revalidated outline comes back, or put back if the server refused).
  const serverIds = items.map((i) => i.id);
  const serverKey = serverIds.join(',');
  const [order, setOrder] = useState(serverIds);
  const [baseKey, setBaseKey] = useState(serverKey);
  if (baseKey !== serverKey) {
    setBaseKey(serverKey);
    setOrder(serverIds);
  }

  const [grabbed, setGrabbed] = useState<string | null>(null);
  const origin = useRef<string[]>([]);
  const [dragId, setDragId] = useState<string | null>(null);
  const [over, setOver] = useState<{ id: string; after: boolean } | null>(null);
  const [message, setMessage] = useState('');
  const [failed, setFailed] = useState(false);
  const handles = useRef(new Map<string, HTMLButtonElement>());
  const refocus = useRef<string | null>(null);

  const byId = new Map(items.map((i) => [i.id, i]));
  const shown = order.map((id) => byId.get(id)).filter((x): x is T => x !== undefined);
  const titleOf = (id: string) => byId.get(id)?.title ?? '';
  const say = (key: keyof typeof reorderAnnouncement, id: string, o: string[]) =>
    setMessage(t(reorderAnnouncement[key], { title: titleOf(id), pos: o.indexOf(id) + 1, total: o.length }));

  // React may move the focused handle in the DOM when the rows reorder: keep focus on it.
  useLayoutEffect(() => {
    if (!refocus.current) return;
    const el = handles.current.get(refocus.current);
    refocus.current = null;
    if (el && document.activeElement !== el) el.focus();
  });

  // The fetcher's answer: announce the save, or put the server's order back.
  const lastData = useRef<ReorderData | undefined>(undefined);
  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data || fetcher.data === lastData.current) return;
    lastData.current = fetcher.data;
    if (fetcher.data.ok) {
      setFailed(false);
      setMessage(t('courses.edit.reorder.saved'));
    } else {
      setFailed(true);
      setOrder(serverIds);
      setMessage(t('courses.edit.reorder.failed'));
    }
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  function commit(next: string[]) {
    if (next.join(',') === serverKey) return;
    const data: Record<string, string> = { intent, order: next.join(',') };
    if (moduleId) data.module_id = moduleId;
    fetcher.submit(data, { method: 'post' });
  }

  /* ---------- keyboard ---------- */

  function toggle(id: string) {
    if (grabbed === id) {
      setGrabbed(null);
      say('dropped', id, order);
      commit(order);
      return;
    }
    const base = grabbed ? origin.current : order; // another row was held: put it back first
    if (grabbed) setOrder(base);
    origin.current = base;
    setGrabbed(id);
    say('picked', id, base);
  }

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, id: string) {
    if (grabbed !== id) return;
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown' || e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const i = order.indexOf(id);
      const j = e.key === 'ArrowUp' ? i - 1 : e.key === 'ArrowDown' ? i + 1 : e.key === 'Home' ? 0 : order.length - 1;
      if (j < 0 || j >= order.length || j === i) return;
      const next = moveTo(order, id, j);
      refocus.current = id;
      setOrder(next);
      say('moved', id, next);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      refocus.current = id;
      setOrder(origin.current);
      setGrabbed(null);
      say('cancelled', id, origin.current);
    }
  }

  /* ---------- mouse (HTML5 drag and drop) ---------- */

  function dropPlace(e: DragEvent<HTMLElement>, targetId: string) {
    const r = e.currentTarget.getBoundingClientRect();
    return { id: targetId, after: e.clientY > r.top + r.height / 2 };
  }

  function rowFor(item: T): SortRow {
    const id = item.id;
    if (!hydrated) return { rowProps: { 'data-sortable-id': id }, handle: null };
    const classes = [
      dragId === id ? 'dragging' : '',
      over?.id === id && dragId !== id ? (over.after ? 'drop-after' : 'drop-before') : '',
      grabbed === id ? 'grabbed' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return {
      rowProps: {
        'data-sortable-id': id,
        draggable: true,
        className: classes || undefined,
        onMouseDownCapture: (e) => {
          e.currentTarget.draggable = !isEditable(e.target);
        },
        onDragStart: (e) => {
          e.stopPropagation(); // a lesson row inside a module row drags the lesson only
          e.dataTransfer.effectAllowed = 'move';
          e.dataTransfer.setData('text/plain', item.title);
          setDragId(id);
          setGrabbed(null);
        },
        onDragOver: (e) => {
          if (!dragId) return; // not ours (e.g. a module dragged over a lesson): let it bubble
          e.preventDefault();
          e.stopPropagation();
          e.dataTransfer.dropEffect = 'move';
          const p = dropPlace(e, id);
          if (over?.id !== p.id || over.after !== p.after) setOver(p);
        },
        onDrop: (e) => {
          if (!dragId) return;
          e.preventDefault();
          e.stopPropagation();
          const p = dropPlace(e, id);
          const moving = dragId;
          setDragId(null);
          setOver(null);
          if (moving === id) return;
          const rest = order.filter((x) => x !== moving);
          const next = moveTo(order, moving, rest.indexOf(id) + (p.after ? 1 : 0));
          setOrder(next);
          say('dropped', moving, next);
          commit(next);
        },
        onDragEnd: () => {
          setDragId(null);
          setOver(null);
        },
      },
      handle: (
        <button
          type="button"
          className="drag-handle"
          ref={(el) => {
            if (el) handles.current.set(id, el);
            else handles.current.delete(id);
          }}
          aria-label={t('courses.edit.reorder.handle', { title: item.title })}
          aria-describedby={instructionsId}
          aria-pressed={grabbed === id}
          onClick={() => toggle(id)}
          onKeyDown={(e) => onKeyDown(e, id)}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      ),
    };
  }

  return (
    <>
      {hydrated ? (
        <p id={instructionsId} className="visually-hidden">
          {t('courses.edit.reorder.instructions')}
        </p>
      ) : null}
      <ol className={className}>{shown.map((item, i) => renderRow(item, i, shown.length, rowFor(item)))}</ol>
      {hydrated ? (
        <p className="visually-hidden" aria-live="assertive" aria-atomic="true" data-reorder-status="">
          {message}
        </p>
      ) : null}
      {failed ? <p className="field-error">{t('courses.edit.reorder.failed')}</p> : null}
    </>
  );
}
