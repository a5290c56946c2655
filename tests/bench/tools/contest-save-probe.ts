/**
 * Issue #14: what the built server answers to each kind of autosave request (status, headers,
 * body), for one or two builds on one scratch database — to check that a change of the save's path
 * through the server changes nothing a client sees (request ids, dates and nonces aside).
 *
 *   node --import tsx tests/bench/tools/contest-save-probe.ts [dir of another checkout with its build]
 *
 * Starts `server.ts` from this checkout (and from the other one, e.g. .cache/save-base) in
 * production on a scratch SQLite file with contest-save-world.ts's round, posts the same requests
 * to each and prints both answers side by side, marking every difference.
 */
import path from 'node:path';

import { startServer } from '../../browser/setup/global';
import { freshSqlite } from '../../helpers/db';
import { scratchServerEnv } from './scratch-server-env';

const { db, file } = await freshSqlite();
const { seedSaveWorld, saveForm } = await import('./contest-save-world');
const world = await seedSaveWorld(db, 6);
const roots = [path.resolve(import.meta.dirname, '../../..'), ...process.argv.slice(2).map((d) => path.resolve(d))];
const env = { ...scratchServerEnv(file, 1), WEB_CONCURRENCY: '1', LOG_FORMAT: 'text' };
const servers = [];
for (const root of roots) servers.push(await startServer(env, root));

const SKIP = new Set(['date', 'x-request-id', 'content-security-policy', 'keep-alive']);
const savePath = `/contests/${world.slug}/rounds/${world.roundId}/attempt`;
type Probe = {
  name: string;
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  cookie?: string;
  noCookie?: boolean;
};
/** Save number j: its form and the cookie of the entrant it belongs to. */
const good = (j: number) => ({ body: saveForm(world, j).body.toString(), cookie: saveForm(world, j).person.cookie });
const me = world.people[0]!.cookie;
const probes: Probe[] = [
  { name: 'a save', ...good(0) },
  {
    name: 'a save, charset in the type (as fetch sends URLSearchParams)',
    ...good(1),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
  },
  { name: 'another entrant’s attempt', body: good(2).body, cookie: me },
  { name: 'no attemptId', body: 'present.x=1' },
  { name: 'attemptId too long', body: `attemptId=${'x'.repeat(200)}` },
  { name: 'an empty body', body: '' },
  { name: 'not signed in', ...good(0), noCookie: true },
  { name: 'a cross-site post', ...good(0), headers: { Origin: 'https://evil.example' } },
  { name: 'JSON', body: '{"attemptId":"x"}', headers: { 'Content-Type': 'application/json' } },
  {
    name: 'a broken multipart body',
    body: '--xyz\r\nContent-Disposition: form-data; name="attemptId"\r\n\r\nbroken',
    headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' },
  },
  { name: 'too large', body: `attemptId=${world.people[0]!.attemptId}&pad=${'x'.repeat(70_000)}` },
  { name: 'a query string', path: `${savePath}?x=1`, ...good(4) },
  { name: 'another round', path: `/contests/${world.slug}/rounds/nope/attempt`, ...good(0) },
  { name: 'no Origin, same-origin Sec-Fetch-Site', ...good(5), headers: { Origin: '', 'Sec-Fetch-Site': 'same-origin' } },
  { name: 'a GET', path: savePath, headers: {}, method: 'GET' },
  { name: 'a HEAD', path: savePath, headers: {}, method: 'HEAD' },
];

try {
  for (const p of probes) {
    const answers: string[][] = [];
    for (const s of servers) {
      const headers: Record<string, string> = {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: s.baseUrl,
        'Accept-Encoding': 'gzip, deflate, br',
        ...(p.noCookie ? {} : { Cookie: p.cookie ?? me }),
        ...p.headers,
      };
      if (headers.Origin === '') delete headers.Origin;
      const r = await fetch(s.baseUrl + (p.path ?? savePath), {
        method: p.method ?? 'POST',
        headers,
        body: p.method ? undefined : p.body,
        redirect: 'manual',
      });
      const text = await r.text();
      const lines = [`${r.status}`];
      for (const [k, v] of [...r.headers].sort())
        if (!SKIP.has(k)) lines.push(`${k}: ${k === 'content-length' && r.headers.get('content-encoding') ? '(compressed)' : v}`);
      lines.push(`body: ${text.slice(0, 160).replace(/\s+/g, ' ')}`);
      answers.push(lines);
    }
    console.log(`\n## ${p.name}`);
    const [a, b] = answers;
    for (const line of new Set([...a!, ...(b ?? [])])) {
      const mark = !b ? ' ' : a!.includes(line) && b.includes(line) ? ' ' : a!.includes(line) ? '+' : '-';
      console.log(`${mark} ${line}`);
    }
  }
} finally {
  for (const s of servers) await s.stop();
  await db.destroy();
}
process.exit(0);
