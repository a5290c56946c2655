/**
 * A page's personal region in a shared signed-in render (app/lib/page-shell.server.ts, issue 12).
 *
 * A page such as `/notifications` is the same for every visitor but for one part of it (their own
 * list) and that part's data in the hydration data. The page is rendered once per variant for a
 * stand-in whose loader returns, in place of the region's data, a placeholder string
 * (`shellRegion(request)` in ./shell-identity.server.ts); the component writes, in place of each
 * part of the region (a few contiguous runs of elements), the text `regionSlot(placeholder, i)`.
 * Each visitor's region is then rendered per request by a plain string renderer of the page (no
 * React) and put in place of the slots and of the data placeholder (JSON-escaped as Remix escapes
 * the hydration script). The string renderer must write exactly what the component writes for the
 * same data (a unit test per page proves it), so the page hydrates without a mismatch.
 *
 * In the browser the data is never a placeholder: the loader's data is always the visitor's.
 * This module is shared by the server and the browser (no server imports).
 */

/** What a page's region renderer gives for one visitor: the loader's data for the region and the HTML of each slot. */
export interface ShellRegion {
  data: unknown;
  html: string[];
}

/** A region's data as the loader returns it: the visitor's, or (in a stand-in's render only) the placeholder. */
export type RegionData<T> = T | string;

const DATA = /^Zq[0-9a-f]{18}RdataQ$/;

/** The placeholder of the region's data for a shared render whose placeholders carry `tag`. */
export function regionPlaceholder(tag: string): string {
  return `Zq${tag}RdataQ`;
}

/** The text of slot `i` for a region whose data is the placeholder `data` (the stand-in's render), else null. */
export function regionSlot(data: unknown, i: number): string | null {
  return typeof data === 'string' && DATA.test(data) ? `${data.slice(0, -'dataQ'.length)}${i}Q` : null;
}
