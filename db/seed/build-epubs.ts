/**
 * Builds EPUB 3 files from content/books/<slug>/ (book.md front matter + numbered chapter files).
 * Deterministic: the same sources give the same bytes. Run by the library seed; or by hand:
 *   node --import tsx db/seed/build-epubs.ts <outDir>
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import matter from 'gray-matter';
import JSZip from 'jszip';
import { marked } from 'marked';

export const BOOKS_DIR = path.resolve('content/books');

export interface BookHolding {
  library: string;
  copies?: number;
  openAccess?: boolean;
}

export interface BookSource {
  slug: string;
  title: string;
  author: string;
  language: string;
  subjects: string[];
  audience: 'children' | 'youth' | 'adult' | 'all';
  themeYear: number | null;
  publisher: string | null;
  publishedYear: number | null;
  description: string;
  holdings: BookHolding[];
  chapters: Array<{ file: string; title: string; markdown: string }>;
}

export function loadBooks(dir = BOOKS_DIR): BookSource[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => loadBook(path.join(dir, d.name)))
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

export function loadBook(bookDir: string): BookSource {
  const slug = path.basename(bookDir);
  const fm = matter(fs.readFileSync(path.join(bookDir, 'book.md'), 'utf8')).data as Record<string, unknown>;
  const chapters = fs
    .readdirSync(bookDir)
    .filter((f) => /^\d+.*\.md$/.test(f))
    .sort()
    .map((file) => {
      const markdown = fs.readFileSync(path.join(bookDir, file), 'utf8');
      const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? file;
      return { file: file.replace(/\.md$/, '.xhtml'), title, markdown };
    });
  return {
    slug,
    title: String(fm.title),
    author: String(fm.author),
    language: String(fm.language ?? 'vi'),
    subjects: (fm.subjects as string[]) ?? [],
    audience: (fm.audience as BookSource['audience']) ?? 'all',
    themeYear: fm.themeYear ? Number(fm.themeYear) : null,
    publisher: fm.publisher ? String(fm.publisher) : null,
    publishedYear: fm.publishedYear ? Number(fm.publishedYear) : null,
    description: String(fm.description ?? ''),
    holdings: (fm.holdings as BookHolding[]) ?? [],
    chapters,
  };
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** marked writes HTML; EPUB wants XHTML: close the void elements and use XML-safe entities. */
function toXhtml(html: string): string {
  return html
    .replace(/<(br|hr)>/g, '<$1/>')
    .replace(/<img([^>]*?)\s*\/?>/g, '<img$1/>')
    .replace(/&#39;/g, '&#39;')
    .replace(/&nbsp;/g, '&#160;');
}

function page(lang: string, title: string, body: string, extraNs = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"${extraNs} xml:lang="${lang}" lang="${lang}">
<head>
<meta charset="UTF-8"/>
<title>${xmlEscape(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
${body}
</body>
</html>
`;
}

const CSS = `body { font-family: serif; line-height: 1.6; margin: 0 5%; }
h1 { font-size: 1.5em; margin: 1em 0; }
h2 { font-size: 1.2em; }
p { margin: 0 0 0.8em; }
.cover { text-align: center; margin-top: 30%; }
`;

/** A fixed timestamp so builds are reproducible (EPUB requires dcterms:modified). */
const MODIFIED = '2026-01-01T00:00:00Z';

export async function buildEpub(book: BookSource): Promise<Buffer> {
  const zip = new JSZip();
  // The mimetype entry first and stored (not compressed): readers sniff it at a fixed offset.
  zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
  zip.file(
    'META-INF/container.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`,
  );
  const lang = book.language;
  const titlePage = page(
    lang,
    book.title,
    `<section class="cover" epub:type="titlepage">
<h1>${xmlEscape(book.title)}</h1>
<p>${xmlEscape(book.author)}</p>
${book.publisher ? `<p>${xmlEscape(book.publisher)}</p>` : ''}
</section>`,
    ' xmlns:epub="http://www.idpf.org/2007/ops"',
  );
  zip.file('OEBPS/title.xhtml', titlePage);
  zip.file('OEBPS/style.css', CSS);
  for (const ch of book.chapters) {
    const html = toXhtml(marked.parse(ch.markdown, { async: false }) as string);
    zip.file(`OEBPS/${ch.file}`, page(lang, ch.title, `<section>\n${html}</section>`));
  }
  const nav = page(
    lang,
    book.title,
    `<nav epub:type="toc" id="toc">
<h1>Mục lục</h1>
<ol>
${book.chapters.map((c) => `<li><a href="${c.file}">${xmlEscape(c.title)}</a></li>`).join('\n')}
</ol>
</nav>`,
    ' xmlns:epub="http://www.idpf.org/2007/ops"',
  );
  zip.file('OEBPS/nav.xhtml', nav);
  const items = book.chapters.map((c, i) => `    <item id="ch${i + 1}" href="${c.file}" media-type="application/xhtml+xml"/>`).join('\n');
  const spine = book.chapters.map((_c, i) => `    <itemref idref="ch${i + 1}"/>`).join('\n');
  const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="${lang}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="bookid">urn:hoctapsuotdoi:book:${book.slug}</dc:identifier>
    <dc:title>${xmlEscape(book.title)}</dc:title>
    <dc:creator>${xmlEscape(book.author)}</dc:creator>
    <dc:language>${lang}</dc:language>
    <dc:description>${xmlEscape(book.description)}</dc:description>
${book.subjects.map((s) => `    <dc:subject>${xmlEscape(s)}</dc:subject>`).join('\n')}
${book.publisher ? `    <dc:publisher>${xmlEscape(book.publisher)}</dc:publisher>\n` : ''}${book.publishedYear ? `    <dc:date>${book.publishedYear}</dc:date>\n` : ''}    <meta property="dcterms:modified">${MODIFIED}</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
${items}
  </manifest>
  <spine>
    <itemref idref="title"/>
${spine}
  </spine>
</package>
`;
  zip.file('OEBPS/content.opf', opf);
  const date = new Date(MODIFIED);
  for (const f of Object.values(zip.files)) f.date = date;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', mimeType: 'application/epub+zip' });
}

/** Builds every book into outDir/<slug>.epub; returns slug → absolute path. */
export async function buildAllEpubs(
  outDir: string,
  dir = BOOKS_DIR,
): Promise<Map<string, { file: string; size: number; book: BookSource }>> {
  fs.mkdirSync(outDir, { recursive: true });
  const out = new Map<string, { file: string; size: number; book: BookSource }>();
  for (const book of loadBooks(dir)) {
    const buf = await buildEpub(book);
    const file = path.join(outDir, `${book.slug}.epub`);
    const existing = fs.existsSync(file) ? fs.readFileSync(file) : null;
    if (!existing || !existing.equals(buf)) fs.writeFileSync(file, buf);
    out.set(book.slug, { file, size: buf.length, book });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = path.resolve(process.argv[2] ?? 'data/library/epubs');
  void buildAllEpubs(outDir).then((m) => console.log(`built ${m.size} EPUBs in ${outDir}`));
}
