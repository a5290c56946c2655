import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A 16-character random id of [0-9a-z]: URL-safe, no LIKE wildcards, same in both dialects. */
export function newId(len = 16): string {
  const bytes = randomBytes(len);
  let out = '';
  for (let i = 0; i < len; i++) out += ALPHABET[bytes[i]! % 36];
  return out;
}

export function nowIso(): string {
  return new Date().toISOString();
}
