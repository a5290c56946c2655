import { useRevalidator } from '@remix-run/react';
import { type RefObject, useEffect, useRef, useState } from 'react';

import { asKey, type TKey } from '~/i18n/keys';

/**
 * The round page's autosave (issue #14): half a second after the last change the whole answer
 * form is posted to the round's save route (`…/rounds/<id>/attempt`, 204 when saved), one request
 * at a time — a change made while one is on its way is sent right after it, so the latest answers
 * always arrive last. Returns the form's `onChange` handler and the status to announce (a
 * translation key). Without JavaScript the form's own buttons save and submit through the page's
 * action, as before.
 */
export function useAnswerAutosave(formRef: RefObject<HTMLFormElement>, url: string) {
  const [status, setStatus] = useState<TKey | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const busy = useRef(false);
  const again = useRef(false);
  const revalidator = useRevalidator();

  const send = async (): Promise<void> => {
    const form = formRef.current;
    if (!form) return;
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    try {
      const body = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (typeof v === 'string') body.append(k, v);
      const res = await fetch(url, { method: 'POST', body, credentials: 'same-origin' });
      if (res.status === 204) setStatus('contests.take.autosaved');
      else {
        const payload = (await res.json().catch(() => null)) as { message?: string } | null;
        setStatus(asKey(payload?.message ?? 'contests.errors.saveFailed'));
        // Submitted meanwhile (the deadline passed, another tab): show the page as it now stands.
        if (res.status === 409) revalidator.revalidate();
      }
    } catch {
      setStatus('contests.errors.saveFailed');
    } finally {
      busy.current = false;
      if (again.current) {
        again.current = false;
        void send();
      }
    }
  };

  useEffect(() => () => clearTimeout(timer.current), []);
  const autosave = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void send(), 500);
  };
  return { autosave, status };
}
