/**
 * Reads a nomination's photo form (multipart/form-data) in memory, capped at the photo limit: a
 * larger file is reported as too big (the outer body limit in http-guard sits above this cap).
 */
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler } from '@remix-run/node';

import { MAX_HONOUR_PHOTO_BYTES } from '~/domain/honours/photos.server';
import { parseMultipart } from '~/lib/http.server';

export async function receiveHonourPhoto(
  request: Request,
): Promise<{ file: Uint8Array | null; alt: string; intent: string; photoId: string; tooBig: boolean }> {
  try {
    const form = await parseMultipart(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_HONOUR_PHOTO_BYTES }));
    const f = form.get('photo');
    const text = (k: string) => {
      const v = form.get(k);
      return typeof v === 'string' ? v : '';
    };
    const file = f && typeof f !== 'string' && f.size > 0 ? new Uint8Array(await f.arrayBuffer()) : null;
    return { file, alt: text('alt'), intent: text('intent'), photoId: text('photo_id'), tooBig: false };
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { file: null, alt: '', intent: 'add', photoId: '', tooBig: true };
    throw e;
  }
}
