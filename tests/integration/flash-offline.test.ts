/**
 * The one-time message after a form survives the service worker's background fetch of /offline
 * (made when it installs, often just as a first form is sent): only the page the person is taken to
 * shows and clears it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { loader } from '~/root';

import { freshSqlite } from '../helpers/db';

const FLASH = `flash=${encodeURIComponent(JSON.stringify({ kind: 'success', message: 'oer.flash.saved' }))}`;

describe('flash and the offline page', () => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshSqlite());
    (globalThis as unknown as { __appDb?: DB }).__appDb = db;
  });
  afterAll(() => cleanup());

  async function rootFor(path: string) {
    const res = (await loader({
      request: new Request(`http://localhost${path}`, { headers: { Cookie: FLASH } }),
      params: {},
      context: {},
    })) as Response;
    return { res, data: (await res.json()) as { flash: { message: string } | null } };
  }

  it('the background fetch of /offline neither shows nor clears the message', async () => {
    const { res, data } = await rootFor('/offline');
    expect(data.flash).toBeNull();
    expect(res.headers.get('set-cookie') ?? '').not.toContain('flash=');
  });

  it('the page the person lands on shows it once and clears it', async () => {
    const { res, data } = await rootFor('/resources/abc');
    expect(data.flash?.message).toBe('oer.flash.saved');
    expect(res.headers.get('set-cookie')).toContain('flash=;');
  });
});
