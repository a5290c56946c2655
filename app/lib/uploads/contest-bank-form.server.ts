/**
 * Reads the contest bank import form (multipart/form-data) in memory: a question bank template is
 * small (60 questions ≈ 20 KB); anything over 2 MB is refused.
 */
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node';

export const MAX_BANK_BYTES = 2_000_000;

export async function receiveBankUpload(request: Request): Promise<{ file: { data: Uint8Array; name: string } | null; tooBig: boolean }> {
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BANK_BYTES }));
    const f = form.get('file');
    if (!f || typeof f === 'string' || f.size === 0) return { file: null, tooBig: false };
    return { file: { data: new Uint8Array(await f.arrayBuffer()), name: f.name }, tooBig: false };
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { file: null, tooBig: true };
    throw e;
  }
}
