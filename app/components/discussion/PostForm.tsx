/**
 * The forms under each post of a thread page (reactions, remove, flag, moderate) and on each item
 * of a review queue. A Remix `<Form>` per form resolved the route and read the navigation state for
 * every one of them on every render (≈ 6–9 % of a club thread's server render, in react-router's
 * form hooks); these are plain `<form method="post">` elements posting to the page's own action —
 * so they work without JavaScript — and, when JavaScript runs, sent through one `useSubmit` of the
 * page (the same navigation and revalidation as `<Form>`), worked out once per list.
 */
import { useFormAction, useNavigate, useSubmit } from '@remix-run/react';
import { type FormEvent, type ReactNode, type RefObject, useEffect, useMemo, useRef } from 'react';

export interface PostForms {
  /** The page's action URL (with its search, as `<Form>` would post); '' for none: the page's own address. */
  action: string;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
}

/**
 * Once per list of posts: what every `PostForm` of the list posts to and how it is sent. `here`:
 * the forms carry no action attribute and post to the page's own address (with its search), as a
 * form without one does without JavaScript and as Remix's `submit` does with a form without one —
 * a thread page's 20–40 forms each repeated the page's address before.
 */
export function usePostForms({ here = false }: { here?: boolean } = {}): PostForms {
  const formAction = useFormAction();
  const action = here ? '' : formAction;
  const submit = useSubmit();
  return useMemo(
    () => ({
      action,
      onSubmit: (e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const submitter = (e.nativeEvent as SubmitEvent).submitter;
        submit(submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : e.currentTarget);
      },
    }),
    [action, submit],
  );
}

export function PostForm({
  forms,
  children,
  className,
  noValidate,
}: {
  forms: PostForms;
  children: ReactNode;
  className?: string;
  noValidate?: boolean;
}) {
  return (
    <form method="post" action={forms.action || undefined} onSubmit={forms.onSubmit} className={className} noValidate={noValidate}>
      {children}
    </form>
  );
}

/**
 * Same-site links inside a list (`/path` or `?query` of this page) are plain `<a>`s — a Remix
 * `<Link>` per post resolved the route on every render; when JavaScript runs, one listener on the
 * list sends a plain click through the router, as `<Link>` would.
 */
export function useClientLinks<E extends HTMLElement>(): RefObject<E> {
  const ref = useRef<E>(null);
  const navigate = useNavigate();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.altKey || e.ctrlKey || e.shiftKey) return;
      const a = e.target instanceof Element ? e.target.closest('a') : null;
      const href = a?.getAttribute('href');
      if (!a || !href || a.target || a.hasAttribute('download')) return;
      if (!(href.startsWith('?') || (href.startsWith('/') && !href.startsWith('//')))) return;
      e.preventDefault();
      navigate(href);
    };
    el.addEventListener('click', onClick);
    return () => el.removeEventListener('click', onClick);
  }, [navigate]);
  return ref;
}
