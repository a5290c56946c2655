/**
 * Checks an uploaded EPUB by its content, not its name: a ZIP whose first entry is an
 * uncompressed `mimetype` reading `application/epub+zip`, a META-INF/container.xml naming the
 * package document, and a parsable OPF. Returns the OPF metadata to pre-fill the record form.
 */
import { XMLParser } from 'fast-xml-parser';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export const MAX_EPUB_BYTES = 20 * 1024 * 1024;

export type EpubError = 'too_big' | 'too_expanded' | 'not_zip' | 'no_mimetype' | 'no_container' | 'no_opf' | 'bad_opf';

/**
 * Zip-bomb caps: entries are streamed and inflation stops as soon as a cap is crossed. The
 * declared sizes of all entries are checked first (yauzl also refuses an entry that inflates
 * to more than it declared).
 */
export const EPUB_CAPS = {
  entries: 10_000,
  /** container.xml and the OPF: the only entries inflated on the server. */
  entryBytes: 4 * 1024 * 1024,
  /** Inflated bytes read on the server in all. */
  totalBytes: 8 * 1024 * 1024,
  /** Sum of the sizes the entries declare (what a reader would inflate). */
  declaredBytes: 512 * 1024 * 1024,
};

class CapError extends Error {}

function openZip(buf: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (e, z) =>
      e || !z ? reject(e ?? new Error('zip')) : resolve(z),
    ),
  );
}

/** Every entry's metadata (nothing inflated), refusing too many entries or too much declared size. */
function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    let declared = 0;
    zip.on('entry', (entry: Entry) => {
      declared += entry.uncompressedSize;
      if (entries.size >= EPUB_CAPS.entries || declared > EPUB_CAPS.declaredBytes) {
        reject(new CapError('declared'));
        return;
      }
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Inflates one entry as text, stopping as soon as a cap is crossed. */
function readEntryText(zip: ZipFile, entry: Entry, budget: { left: number }): Promise<string> {
  if (entry.uncompressedSize > EPUB_CAPS.entryBytes || entry.uncompressedSize > budget.left) return Promise.reject(new CapError('entry'));
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (e, stream) => {
      if (e || !stream) return reject(e ?? new Error('stream'));
      const chunks: Buffer[] = [];
      let n = 0;
      stream.on('data', (c: Buffer) => {
        n += c.length;
        budget.left -= c.length;
        if (n > EPUB_CAPS.entryBytes || budget.left < 0) {
          stream.destroy(new CapError('entry'));
          return;
        }
        chunks.push(c);
      });
      // yauzl stops an entry that inflates past the size it declared.
      stream.on('error', (err) => reject(err instanceof CapError || /too many bytes/i.test(String(err)) ? new CapError('entry') : err));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

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
  let zip: ZipFile;
  let entries: Map<string, Entry>;
  try {
    zip = await openZip(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch {
    return { ok: false, error: 'not_zip' };
  }
  const budget = { left: EPUB_CAPS.totalBytes };
  try {
    try {
      entries = await listEntries(zip);
    } catch (e) {
      return { ok: false, error: e instanceof CapError ? 'too_expanded' : 'not_zip' };
    }
    const container = entries.get('META-INF/container.xml');
    if (!container) return { ok: false, error: 'no_container' };
    let opfPath: string;
    try {
      const c = parser.parse(await readEntryText(zip, container, budget));
      const rf = c?.container?.rootfiles?.rootfile;
      opfPath = String((Array.isArray(rf) ? rf[0] : rf)?.['@full-path'] ?? '');
    } catch (e) {
      return { ok: false, error: e instanceof CapError ? 'too_expanded' : 'no_container' };
    }
    const opfEntry = opfPath ? entries.get(opfPath) : undefined;
    if (!opfEntry) return { ok: false, error: 'no_opf' };
    let opfText: string;
    try {
      opfText = await readEntryText(zip, opfEntry, budget);
    } catch (e) {
      return { ok: false, error: e instanceof CapError ? 'too_expanded' : 'bad_opf' };
    }
    return readOpf(opfText);
  } finally {
    zip.close();
  }
}

function readOpf(opfText: string): { ok: true; meta: EpubMeta } | { ok: false; error: EpubError } {
  try {
    const opf = parser.parse(opfText);
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
