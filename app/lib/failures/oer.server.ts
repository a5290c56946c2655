/** Open resources: each domain failure code → the message the user sees and the HTTP status, in one place. */
import type { ResourceError } from '~/domain/oer/resources.server';
import type { UploadError } from '~/domain/oer/uploads.server';
import { defineFailures } from '~/lib/result-http.server';

export const oerFailures = defineFailures<ResourceError | UploadError>({
  not_found: { message: 'oer.errors.state', status: 404 },
  forbidden: { message: 'oer.errors.forbidden', status: 403 },
  state: { message: 'oer.errors.state', status: 409 },
  no_source: { message: 'oer.errors.noSource', status: 400 },
  comment_required: { message: 'oer.errors.commentRequired', status: 400 },
  file_type: { message: 'oer.errors.fileType', status: 400 },
  file_too_big: { message: 'oer.errors.fileTooBig', status: 413 },
});
