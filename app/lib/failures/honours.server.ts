/** The honours area's one table from domain failure codes to a translation key and a status. */
import type { ContestBadgeError } from '~/domain/honours/contest-badges.server';
import type { NominationError } from '~/domain/honours/nominations.server';
import type { PhotoError } from '~/domain/honours/photos.server';
import { defineFailures } from '~/lib/result-http.server';

export const honourFailures = defineFailures<NominationError>({
  not_found: { message: 'honours.errors.notFound', status: 404 },
  forbidden: { message: 'honours.errors.forbidden', status: 403 },
  no_week: { message: 'honours.errors.noWeek', status: 400 },
  unit_not_in_week: { message: 'honours.errors.unitNotInWeek', status: 400 },
  consent_by_required: { message: 'honours.errors.consentBy', status: 400 },
  not_editable: { message: 'honours.errors.notEditable', status: 409 },
  not_submitted: { message: 'honours.errors.notSubmitted', status: 409 },
  comment_required: { message: 'honours.errors.commentRequired', status: 400 },
  not_approved: { message: 'honours.errors.notApproved', status: 409 },
  already_revoked: { message: 'honours.errors.alreadyRevoked', status: 409 },
});

export const honourPhotoFailures = defineFailures<PhotoError>({
  not_found: { message: 'honours.errors.notFound', status: 404 },
  forbidden: { message: 'honours.errors.forbidden', status: 403 },
  not_image: { message: 'honours.errors.photoType', status: 400 },
  too_large: { message: 'honours.errors.photoTooLarge', status: 413 },
  too_many_pixels: { message: 'honours.errors.photoTooManyPixels', status: 400 },
  too_many: { message: 'honours.errors.photoTooMany', status: 409 },
});

export const contestBadgeFailures = defineFailures<ContestBadgeError>({
  not_found: { message: 'honours.errors.notFound', status: 404 },
  forbidden: { message: 'honours.errors.forbidden', status: 403 },
  no_week: { message: 'honours.contest.noWeek', status: 400 },
});
