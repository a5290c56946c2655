/** Resumable uploads of contest entries (issue #15): the upload codes, then the entry's own. */
import type { UploadError } from '~/domain/contests/uploads.server';
import { defineFailures, type FailureTable } from '~/lib/result-http.server';

import { entryFailures } from './contest-entries.server';

export const uploadFailures: FailureTable<UploadError> = defineFailures<UploadError>({
  ...entryFailures,
  upload_missing: { message: 'contests.upload.errors.upload_missing', status: 404 },
  upload_incomplete: { message: 'contests.upload.errors.upload_incomplete', status: 409 },
  no_length: { message: 'contests.upload.errors.no_length', status: 400 },
  rate_limited: { message: 'contests.upload.errors.rate_limited', status: 429 },
});
