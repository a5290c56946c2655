/**
 * The inflation check of uploaded photos: a small file may declare a huge picture (a PNG of a few
 * kilobytes can claim 50,000 × 50,000 pixels, 10 GB once decoded by a browser or an image tool).
 * The dimensions are read from the header only (image-size, nothing is decoded) and must agree
 * with the type found by content (file-type); larger than the caps is refused.
 */
import { imageSize } from 'image-size';

/** 40 megapixels (~160 MB decoded as RGBA): far above any phone photo. */
export const MAX_IMAGE_PIXELS = 40_000_000;
export const MAX_IMAGE_SIDE = 12_000;

const SIZE_TYPES: Record<string, string[]> = { 'image/jpeg': ['jpg'], 'image/png': ['png'], 'image/webp': ['webp'] };

export type ImageHeaderCheck = { ok: true; width: number; height: number } | { ok: false; code: 'not_image' | 'too_many_pixels' };

/** Checks the header of an image whose type (`mime`) was found by content. */
export function checkImageHeader(head: Uint8Array, mime: string): ImageHeaderCheck {
  let d: ReturnType<typeof imageSize>;
  try {
    d = imageSize(head);
  } catch {
    return { ok: false, code: 'not_image' };
  }
  if (!d.type || !SIZE_TYPES[mime]?.includes(d.type)) return { ok: false, code: 'not_image' };
  const { width, height } = d;
  if (!width || !height) return { ok: false, code: 'not_image' };
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) return { ok: false, code: 'too_many_pixels' };
  return { ok: true, width, height };
}
