/** The community area's failure codes → message and status (one table, see result-http.server). */
import { json } from '@remix-run/node';

import { runThreadAction, type ThreadActionError, type ThreadActionOk } from '~/domain/discussion/actions.server';
import type { FlagError, ModerateError } from '~/domain/discussion/moderation.server';
import type { PostError } from '~/domain/discussion/posts.server';
import { threadAccess } from '~/domain/discussion/read.server';
import { threadSchema } from '~/forms/community';

import { clientIp } from './auth.server';
import type { DB } from './db.server';
import { redirectWithFlash } from './flash.server';
import { parseForm } from './forms.server';
import { badRequest, notFound } from './http.server';
import type { Result } from './result';
import { defineFailures, failure } from './result-http.server';

export const communityFailures = defineFailures<
  PostError | FlagError | ModerateError | 'invalid' | 'duplicate' | 'word' | 'slug_taken' | 'name'
>({
  not_found: { message: 'community.errors.not_found', status: 404 },
  forbidden: { message: 'community.errors.forbidden', status: 403 },
  empty: { message: 'community.errors.empty', status: 422 },
  too_long: { message: 'community.errors.too_long', status: 413 },
  title_required: { message: 'community.errors.title_required', status: 422 },
  title_too_long: { message: 'community.errors.title_too_long', status: 422 },
  too_many_links: { message: 'community.errors.too_many_links', status: 422 },
  no_images: { message: 'community.errors.no_images', status: 422 },
  locked: { message: 'community.errors.locked', status: 409 },
  silenced: { message: 'community.errors.silenced', status: 403 },
  rate_limited: { message: 'community.errors.rate_limited', status: 429 },
  daily_limit: { message: 'community.errors.daily_limit', status: 429 },
  slow_mode: { message: 'community.errors.slow_mode', status: 429 },
  blocked_word: { message: 'community.errors.blocked_word', status: 422 },
  own_post: { message: 'community.errors.own_post', status: 409 },
  already: { message: 'community.errors.already', status: 409 },
  reason: { message: 'community.errors.flagReason', status: 422 },
  note_required: { message: 'community.errors.note_required', status: 422 },
  reason_required: { message: 'community.errors.reason_required', status: 422 },
  days: { message: 'community.errors.amount', status: 422 },
  target: { message: 'community.errors.target', status: 422 },
  invalid: { message: 'errors.invalid', status: 400 },
  duplicate: { message: 'community.errors.duplicate', status: 409 },
  word: { message: 'errors.invalid', status: 422 },
  slug_taken: { message: 'community.errors.slug_taken', status: 409 },
  name: { message: 'errors.required', status: 422 },
});

/**
 * A reply already run for this request before Express and Remix (./community-reply.server.ts),
 * refused: the route answers that refusal instead of posting a second time (which would take a
 * second rate-limit allowance). Handed over in Remix's load context, which no client can set.
 */
export interface KnownReply {
  userId: string;
  threadId: string;
  result: Result<ThreadActionOk, ThreadActionError>;
}

/** The known reply of this request for this member and thread, if any (see `KnownReply`). */
export function knownReplyIn(context: unknown, userId: string, threadId: string): KnownReply | undefined {
  const k = (context as { knownReply?: KnownReply } | null | undefined)?.knownReply;
  return k && k.userId === userId && k.threadId === threadId ? k : undefined;
}

/**
 * Any place's thread form (reply, react, follow, read, flag, remove, moderate) after the route
 * has checked its place's own rules: the engine's access check, the form, one domain call, then a
 * redirect with the flash — or the field errors and what was typed, next to the form that failed.
 * A reply makes the engine's access check itself (`reply`: one look-up of the thread and its place).
 */
export async function threadFormAction(request: Request, db: DB, userId: string, threadId: string, form: FormData, known?: KnownReply) {
  const r = parseForm(threadSchema, form);
  const replying = r.ok && r.data.intent === 'reply';
  if (!replying) {
    const access = await threadAccess(db, userId, threadId);
    if (access.status !== 'ok') notFound();
  }
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors, values: r.values });
  const res = known?.result ?? (await runThreadAction(db, { userId, ip: clientIp(request) }, threadId, r.data));
  if (!res.ok) {
    // A thread the member may not see: the same 404 page as its other intents and its loader.
    if (replying && res.code === 'not_found') notFound();
    return failure(communityFailures, res, r.values);
  }
  if (r.data.intent === 'read') return json({ ok: true as const });
  // Back to the page the form was on, with its report or moderation form (?flag=N, ?mod=N: the
  // thread view opens one post's form by link) closed.
  const here = new URL(request.url);
  here.searchParams.delete('flag');
  here.searchParams.delete('mod');
  return redirectWithFlash(res.value.to ?? `${here.pathname}${here.search}`, { message: res.value.message });
}
