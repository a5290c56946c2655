/**
 * Checks an uploaded EPUB by its content, not its name: a ZIP whose first entry is an
 * uncompressed `mimetype` reading `application/epub+zip`, a META-INF/container.xml naming the
 * package document, and a parsable OPF. Returns the OPF metadata to pre-fill the record form.
 */
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';

export const MAX_EPUB_BYTES = 20 * 1024 * 1024;

export type EpubError = 'too_big' | 'not_zip' | 'no_mimetype' | 'no_container' | 'no_opf' | 'bad_opf';

export interface EpubMeta {
  title: string;
  author: string;
  language: string;
  description: string;
  subjects: string[];
  publisher: string;
  year: number | null;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false });

function text(v: unknown): string {
  if (v == null) return '';
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return text((v as Record<string, unknown>)['#text']);
  return String(v).trim();
}
function texts(v: unknown): string[] {
  if (v == null) return [];
  return (Array.isArray(v) ? v : [v]).map(text).filter(Boolean);
}

export async function inspectEpub(buf: Uint8Array): Promise<{ ok: true; meta: EpubMeta } | { ok: false; error: EpubError }> {
  if (buf.length > MAX_EPUB_BYTES) return { ok: false, error: 'too_big' };
  // Local file header: "PK\x03\x04", method at 8, name length at 26, extra length at 28, name at 30.
  if (buf.length < 38 || buf[0] !== 0x50 || buf[1] !== 0x4b || buf[2] !== 0x03 || buf[3] !== 0x04) return { ok: false, error: 'not_zip' };
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const method = dv.getUint16(8, true);
  const nameLen = dv.getUint16(26, true);
  const extraLen = dv.getUint16(28, true);
  const name = Buffer.from(buf.subarray(30, 30 + nameLen)).toString('latin1');
  const start = 30 + nameLen + extraLen;
  const content = Buffer.from(buf.subarray(start, start + 20)).toString('latin1');
  if (name !== 'mimetype' || method !== 0 || content !== 'application/epub+zip') return { ok: false, error: 'no_mimetype' };
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf);
  } catch {
    return { ok: false, error: 'not_zip' };
  }
  const container = zip.file('META-INF/container.xml');
  if (!container) return { ok: false, error: 'no_container' };
  let opfPath: string;
  try {
    const c = parser.parse(await container.async('string'));
    const rf = c?.container?.rootfiles?.rootfile;
    opfPath = String((Array.isArray(rf) ? rf[0] : rf)?.['@full-path'] ?? '');
  } catch {
    return { ok: false, error: 'no_container' };
  }
  const opfFile = opfPath ? zip.file(opfPath) : null;
  if (!opfFile) return { ok: false, error: 'no_opf' };
  try {
    const opf = parser.parse(await opfFile.async('string'));
    const md = opf?.package?.metadata;
    if (!md || !opf.package.manifest || !opf.package.spine) return { ok: false, error: 'bad_opf' };
    const title = text(md.title);
    if (!title) return { ok: false, error: 'bad_opf' };
    const year = /\b(\d{4})\b/.exec(text(md.date))?.[1];
    return {
      ok: true,
      meta: {
        title,
        author: texts(md.creator).join(', '),
        language: text(md.language) || 'vi',
        description: text(md.description).replace(/<[^>]+>/g, ''),
        subjects: texts(md.subject),
        publisher: text(md.publisher),
        year: year ? Number(year) : null,
      },
    };
  } catch {
    return { ok: false, error: 'bad_opf' };
  }
}
