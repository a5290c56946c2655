/** How outreach failures read to people: one table for the area (see app/CONVENTIONS.md §1). */
import type { UploadError } from '~/domain/oer/uploads.server';
import type { AnnouncementError } from '~/domain/outreach/announcement.server';
import type { NewsError } from '~/domain/outreach/news.server';
import type { SloganError } from '~/domain/outreach/slogans.server';
import { defineFailures } from '~/lib/result-http.server';
import type { NewsPhotoError } from '~/lib/uploads/news-photo-form.server';

export const outreachFailures = defineFailures<NewsError | SloganError | AnnouncementError | UploadError | NewsPhotoError>({
  not_found: { message: 'outreach.errors.notFound', status: 404 },
  forbidden: { message: 'outreach.errors.forbidden', status: 403 },
  empty: { message: 'errors.required', status: 400 },
  too_long: { message: 'errors.tooLong', status: 400 },
  conflict: { message: 'outreach.errors.conflict', status: 409 },
  file_type: { message: 'outreach.errors.photoType', status: 400 },
  file_too_big: { message: 'outreach.errors.photoTooBig', status: 413 },
  too_many_pixels: { message: 'outreach.errors.photoTooManyPixels', status: 400 },
});
