/**
 * Who may see an open educational resource, answered without HTTP (the courses model:
 * `missing | hidden | forbidden | ok`). The one place for the visibility rule — a published
 * resource is public; a draft, a submission or a returned one only to its author and to the
 * reviewers of its unit — used by the page, its file route and the mutators' own checks.
 */
import type { DB } from '~/lib/db.server';

import { canEdit, canReview, getResource, type Resource } from './resources.server';

export type ResourceAccess =
  | { status: 'missing' }
  | { status: 'hidden'; resource: Resource }
  | { status: 'ok'; resource: Resource; mayEdit: boolean; mayReview: boolean; isAuthor: boolean };

/** The rule itself, for a resource already loaded. */
export async function mayViewResource(db: DB, r: Pick<Resource, 'status' | 'author_id' | 'unit_id'>, userId: string | null | undefined) {
  if (r.status === 'published') return true;
  if (!userId) return false;
  return r.author_id === userId || canReview(db, userId, r.unit_id);
}

export async function resourceAccess(db: DB, id: string, userId: string | null | undefined): Promise<ResourceAccess> {
  const resource = await getResource(db, id);
  if (!resource) return { status: 'missing' };
  const [mayEdit, mayReview] = userId
    ? await Promise.all([canEdit(db, userId, resource), canReview(db, userId, resource.unit_id)])
    : [false, false];
  const isAuthor = !!userId && resource.author_id === userId;
  if (resource.status !== 'published' && !isAuthor && !mayReview) return { status: 'hidden', resource };
  return { status: 'ok', resource, mayEdit, mayReview, isAuthor };
}
