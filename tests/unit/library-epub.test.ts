import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';

import { buildEpub, loadBooks } from '~/db/seed/build-epubs';

import { inspectEpub } from '../../app/domain/library/epub.server';

const run = promisify(execFile);
const EPUBCHECK = '/usr/share/java/epubcheck.jar';
function hasJava() {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return fs.existsSync(EPUBCHECK);
  } catch {
    return false;
  }
}

const books = loadBooks();

describe('library demo books', () => {
  it('has at least 12 titles across 3 libraries, with open access and lent titles', () => {
    expect(books.length).toBeGreaterThanOrEqual(12);
    const libs = new Set(books.flatMap((b) => b.holdings.map((h) => h.library)));
    expect(libs).toEqual(new Set(['thu-vien-ha-noi', 'thu-vien-tthtcd-bien-giang', 'thu-vien-thcs-bien-giang']));
    expect(books.some((b) => b.holdings.some((h) => h.openAccess))).toBe(true);
    expect(books.some((b) => b.holdings.some((h) => (h.copies ?? 0) >= 1 && !h.openAccess))).toBe(true);
    for (const b of books) expect(b.chapters.length).toBeGreaterThanOrEqual(2);
  });

  it('builds EPUBs whose first entry is an uncompressed mimetype and whose metadata reads back', async () => {
    for (const b of books) {
      const buf = await buildEpub(b);
      expect(buf.subarray(30, 38).toString('latin1')).toBe('mimetype');
      expect(buf.readUInt16LE(8)).toBe(0);
      const r = await inspectEpub(buf);
      expect(r).toMatchObject({ ok: true, meta: { title: b.title, author: b.author, language: 'vi' } });
    }
  });

  it('passes epubcheck for every built book (when java and epubcheck are installed)', async () => {
    if (!hasJava()) return; // epubcheck is a Debian package; the check runs wherever it is installed
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'epubcheck-'));
    try {
      const files = await Promise.all(
        books.map(async (b) => {
          const file = path.join(dir, `${b.slug}.epub`);
          fs.writeFileSync(file, await buildEpub(b));
          return file;
        }),
      );
      // A broken book too, so a checker that passes everything cannot go unnoticed.
      const broken = path.join(dir, 'broken.epub');
      const z = new JSZip();
      z.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
      z.file('META-INF/container.xml', '<container/>');
      fs.writeFileSync(broken, await z.generateAsync({ type: 'nodebuffer' }));
      // EPUBCheck 4 takes one file per command and a JVM start costs ~8 s: check every book in
      // ONE JVM (tests/unit/library-epubcheck/CheckAll.java, run as a source file), with the
      // quick-start flags (class-data sharing, C1 only, serial GC).
      const { stdout } = await run(
        'java',
        [
          '-Xshare:auto',
          '-XX:TieredStopAtLevel=1',
          '-XX:+UseSerialGC',
          '-cp',
          EPUBCHECK,
          path.join(__dirname, 'library-epubcheck', 'CheckAll.java'),
          ...files,
          broken,
        ],
        { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      );
      const results = new Map(
        stdout
          .split('\n')
          .filter((l) => l.startsWith('RESULT\t'))
          .map((l) => l.split('\t'))
          .map(([, file, errors, warnings]) => [file!, { errors: Number(errors), warnings: Number(warnings) }]),
      );
      for (const b of books) expect(results.get(path.join(dir, `${b.slug}.epub`)), b.slug).toEqual({ errors: 0, warnings: 0 });
      expect(results.get(broken)!.errors).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('uploaded EPUB checks', () => {
  it('rejects a file that is not a zip, a zip without mimetype first, and one without an OPF', async () => {
    expect(await inspectEpub(Buffer.from('%PDF-1.4 not an epub at all, just some bytes here'))).toEqual({ ok: false, error: 'not_zip' });
    const z1 = new JSZip();
    z1.file('hello.txt', 'xin chào');
    z1.file('mimetype', 'application/epub+zip');
    expect(await inspectEpub(await z1.generateAsync({ type: 'nodebuffer' }))).toEqual({ ok: false, error: 'no_mimetype' });
    const z2 = new JSZip();
    z2.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
    z2.file('META-INF/container.xml', '<container><rootfiles><rootfile full-path="x.opf"/></rootfiles></container>');
    expect(await inspectEpub(await z2.generateAsync({ type: 'nodebuffer' }))).toEqual({ ok: false, error: 'no_opf' });
    const z3 = new JSZip();
    z3.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
    expect(await inspectEpub(await z3.generateAsync({ type: 'nodebuffer' }))).toEqual({ ok: false, error: 'no_container' });
  });
});
