/**
 * The forms under each post of a thread page (reactions, remove, flag, moderate) and on each item
 * of a review queue. A Remix `<Form>` per form resolved the route and read the navigation state for
 * every one of them on every render (≈ 6–9 % of a club thread's server render, in react-router's
 * form hooks); these are plain `<form method="post">` elements posting to the page's own action —
 * so they work without JavaScript — and, when JavaScript runs, sent through one `useSubmit` of the
 * page (the same navigation and revalidation as `<Form>`), worked out once per list.
 */
import { useFormAction, useSubmit } from '@remix-run/react';
import { type FormEvent, type ReactNode, useMemo } from 'react';

export interface PostForms {
  /** The page's action URL (with its search, as `<Form>` would post). */
  action: string;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
}

/** Once per list of posts: what every `PostForm` of the list posts to and how it is sent. */
export function usePostForms(): PostForms {
  const action = useFormAction();
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
    <form method="post" action={forms.action} onSubmit={forms.onSubmit} className={className} noValidate={noValidate}>
      {children}
    </form>
  );
}
