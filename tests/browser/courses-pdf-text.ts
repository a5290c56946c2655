/**
 * Just enough PDF reading for the certificate print test (no PDF package in the stack): counts
 * the pages and extracts the text Chromium draws, through each font's ToUnicode map — the page
 * stream holds glyph ids, so a plain byte search for the holder's name would never match.
 */
import zlib from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const s = body.search(/stream\r?\n/);
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0 && /^\s*<</.test(body)) {
      dict = body.slice(0, s);
      const dataStart = start + s + (body[s + 6] === '\r' ? 8 : 7);
      const length = /\/Length (\d+)(?! 0 R)/.exec(dict);
      const dataEnd = length ? dataStart + Number(length[1]) : text.indexOf('endstream', dataStart);
      const raw = pdf.subarray(dataStart, dataEnd);
      stream = /\/FlateDecode/.test(dict) ? zlib.inflateSync(raw) : raw;
    }
    objects.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return objects;
}

const utf16 = (hex: string) => {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return s;
};

function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const p of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(p[1]!, 16), utf16(p[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const p of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(p[1]!, 16);
      const hi = parseInt(p[2]!, 16);
      if (p[3]!.startsWith('[')) {
        [...p[3]!.matchAll(/<([0-9A-Fa-f]+)>/g)].forEach((d, i) => map.set(lo + i, utf16(d[1]!)));
      } else {
        const base = utf16(p[3]!.slice(1, -1));
        for (let c = lo; c <= hi; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)));
      }
    }
  }
  return map;
}

/** Page count (objects of /Type /Page, not /Pages) and the text of every page, in drawing order. */
export function readPdf(pdf: Buffer): { pages: number; text: string } {
  const objects = readObjects(pdf);
  const pageObjs = [...objects.values()].filter((o) => /\/Type\s*\/Page(?![a-zA-Z])/.test(o.dict));
  const ref = (dict: string, key: string) => {
    const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
    return m ? objects.get(Number(m[1])) : undefined;
  };
  let text = '';
  for (const page of pageObjs) {
    // Font resource names (/F5 5 0 R) → that font's ToUnicode map.
    const fonts = new Map<string, Map<number, string>>();
    for (const f of page.dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const font = objects.get(Number(f[2]));
      const toUnicode = font && ref(font.dict, 'ToUnicode');
      if (toUnicode?.stream) fonts.set(f[1]!, parseCMap(toUnicode.stream.toString('latin1')));
    }
    const contents = ref(page.dict, 'Contents');
    const ops = contents?.stream?.toString('latin1') ?? '';
    let cmap = new Map<number, string>();
    for (const tok of ops.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|(<[0-9A-Fa-f]*>)\s*Tj|\[((?:[^\]])*)\]\s*TJ|\b(ET)\b/g)) {
      if (tok[1]) cmap = fonts.get(tok[1]) ?? new Map();
      const hexes = tok[2] ? [tok[2]] : tok[3] ? [...tok[3].matchAll(/<[0-9A-Fa-f]*>/g)].map((x) => x[0]) : [];
      for (const h of hexes) for (let i = 1; i + 4 <= h.length - 1; i += 4) text += cmap.get(parseInt(h.slice(i, i + 4), 16)) ?? '';
      if (tok[4]) text += '\n';
    }
  }
  return { pages: pageObjs.length, text: text.normalize('NFKC') };
}
