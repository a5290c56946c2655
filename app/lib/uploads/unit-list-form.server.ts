/**
 * Reads the unit-list import form (multipart/form-data): the CSV file, kept in memory up to
 * 5 MB (about 50,000 lines), or the pasted text. HTTP parsing lives here; the importer
 * (`~/domain/units/import.server`) checks the rows.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node';

export const MAX_UNIT_LIST_BYTES = 5 * 1024 * 1024;

export async function receiveUnitList(request: Request): Promise<{ csv: string; pasted: string; tooBig: boolean }> {
  let tooBig = false;
  let fileText = '';
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of data) {
      size += c.length;
      if (size > MAX_UNIT_LIST_BYTES) tooBig = true;
      else chunks.push(c);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (name === 'file' && filename) {
      fileText = text;
      return undefined;
    }
    return text;
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  const pasted = typeof form.get('csv_text') === 'string' ? String(form.get('csv_text')) : '';
  return { csv: fileText.trim() ? fileText : pasted, pasted, tooBig };
}
