/**
 * Resumable upload throughput of contest entries (issue #15): `npm run bench -- contest-uploads`.
 * BENCH_UPLOADS entrants (default 4) each send one BENCH_UPLOAD_MB file (default 2 MB; a real WAV
 * recording, since the server checks every finished upload's content with ffprobe) through the
 * running server's tus endpoint at the same time: a creation POST, then PATCHes of
 * BENCH_UPLOAD_CHUNK_MB (default 1 MB, the browser's piece size) from the offset the server
 * acknowledged — raw tus 1.0 requests, as tus-js-client sends them. Reported: MB/s through the
 * server (all bytes of all uploads over the wall time, the last piece including the content check)
 * and each upload's time, next to a plain copy of the same bytes the same number of times, at the
 * same parallelism, into the same data directory (`fs.copyFile`), as the disk's own figure.
 * ASSERTS every upload completes with the server's offset at the file's length and its bytes
 * identical on disk. The target: BENCH_UPLOADS=100 BENCH_UPLOAD_MB=20 (2 GB of disk).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { createContest, register } from '~/domain/contests/contests.server';
import { addSubmissionRound } from '~/domain/contests/entries.server';
import { newId, nowIso } from '~/lib/ids.server';

import type { BenchContext, BenchResult } from './run';

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 4);
const MB = Number(process.env.BENCH_UPLOAD_MB ?? 2);
const CHUNK = Math.max(1, Math.round(Number(process.env.BENCH_UPLOAD_CHUNK_MB ?? 1) * 1024 * 1024));
/** 48 kHz stereo 16-bit PCM: bytes per second of the WAV recording. */
const WAV_BPS = 48_000 * 2 * 2;

function assert(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(`contest-uploads bench: ${message}`);
}
function pct(sorted: number[], p: number): number {
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!) : 0;
}
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** Runs `fn` over `items`, all at once (the parallel uploads / copies); returns each one's ms. */
async function timedAll<T>(items: T[], fn: (x: T) => Promise<void>): Promise<{ wall: number; each: number[] }> {
  const t0 = performance.now();
  const each = await Promise.all(
    items.map(async (x) => {
      const t = performance.now();
      await fn(x);
      return performance.now() - t;
    }),
  );
  return { wall: performance.now() - t0, each };
}

function row(bytes: number, t: { wall: number; each: number[] }): BenchResult {
  const sorted = t.each.slice().sort((a, b) => a - b);
  // "req/s" of this row: MB/s (the table's column); p50/p99: one upload's (or copy's) time in ms
  return { reqPerSec: bytes / 1048576 / (t.wall / 1000), p50: pct(sorted, 50), p99: pct(sorted, 99), non2xx: 0, errors: 0, bytesPerReq: 0 };
}

export async function bench(ctx: BenchContext): Promise<void> {
  const { db, baseUrl } = ctx;
  const work = path.join(ctx.dataDir, 'bench-uploads');
  fs.mkdirSync(work, { recursive: true });
  // one real recording of about MB megabytes (the server refuses what is not audio)
  const seconds = Math.max(1, Math.round((MB * 1048576) / WAV_BPS));
  const src = path.join(work, 'doc.wav');
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `anoisesrc=d=${seconds}:c=pink:a=0.3`,
    '-ac',
    '2',
    '-ar',
    '48000',
    src,
  ]);
  const bytes = fs.readFileSync(src);
  const size = bytes.length;
  const total = size * UPLOADS;

  // A read-aloud round open now, big enough for the file, and one registered entrant per upload.
  const root = await db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  const unit = await db.selectFrom('units').select('id').where('parent_id', '=', root.id).executeTakeFirstOrThrow();
  const organiser = ctx.userIds[0]!;
  await db
    .insertInto('role_grants')
    .values({ id: newId(), user_id: organiser, unit_id: root.id, role: 'organiser', granted_by: null, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['user_id', 'unit_id', 'role']).doNothing())
    .execute();
  const contest = await createContest(db, organiser, {
    unitId: root.id,
    weekYear: null,
    slug: `upload-bench-${newId(6)}`,
    title: 'Giọng đọc hay (bench)',
    rulesMd: '',
    minAge: null,
    maxAge: null,
    maxAttempts: 1,
    predictionKind: 'perfect',
  });
  assert(contest.ok, `contest: ${contest.ok ? '' : contest.code}`);
  const now = Date.now();
  const round = await addSubmissionRound(db, organiser, contest.value.id, {
    title: 'Vòng trường',
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    entryKind: 'audio',
    passageTitle: '',
    passageText: '',
    minSeconds: 0,
    maxSeconds: seconds + 60,
    maxBytes: size + 1048576,
    stageLevel: 'school',
    advanceCount: 1,
  });
  assert(round.ok, `round: ${round.ok ? '' : round.code}`);
  const entrants = ctx.userIds.slice(1, 1 + UPLOADS);
  assert(entrants.length === UPLOADS, `only ${entrants.length} bench users for ${UPLOADS} uploads`);
  for (const u of entrants) {
    const r = await register(db, contest.value.id, u, { fullName: 'Thí sinh', birthYear: 1990, unitId: unit.id, phone: null });
    assert(r.ok, `register: ${r.ok ? '' : r.code}`);
  }
  const cookies = await Promise.all(entrants.map((u) => ctx.cookieFor(u)));
  ctx.log(
    `contest-uploads: ${UPLOADS} × ${(size / 1048576).toFixed(1)} MB (${seconds} s WAV), pieces of ${(CHUNK / 1048576).toFixed(1)} MB`,
  );

  // The disk's own figure: the same bytes copied as many times, as many at once, into the data directory.
  const copies = await timedAll([...Array(UPLOADS).keys()], (i) => fs.promises.copyFile(src, path.join(work, `copy-${i}.wav`)));
  for (let i = 0; i < UPLOADS; i++) fs.rmSync(path.join(work, `copy-${i}.wav`), { force: true });

  // The uploads through the server.
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const locations: string[] = [];
  const uploads = await timedAll([...Array(UPLOADS).keys()], async (i) => {
    const common = { 'Tus-Resumable': '1.0.0', Cookie: cookies[i]!, Origin: baseUrl };
    const created = await fetch(`${baseUrl}/uploads/tus`, {
      method: 'POST',
      headers: { ...common, 'Upload-Length': String(size), 'Upload-Metadata': `roundId ${b64(round.value)},filename ${b64('doc.wav')}` },
    });
    assert(created.status === 201, `creation ${i}: ${created.status} ${await created.text()}`);
    const location = new URL(created.headers.get('location')!, baseUrl).toString();
    locations[i] = location;
    let offset = 0;
    while (offset < size) {
      const piece = bytes.subarray(offset, Math.min(size, offset + CHUNK));
      const r = await fetch(location, {
        method: 'PATCH',
        headers: { ...common, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength),
      });
      assert(r.status === 204, `upload ${i} at ${offset}: ${r.status} ${await r.text()}`);
      offset = Number(r.headers.get('upload-offset'));
    }
  });

  // Every upload whole: the server says so, and its bytes on disk are the original's.
  const want = sha(bytes);
  const ids = locations.map((l) => l.split('/').pop()!);
  const rows = await db.selectFrom('contest_uploads').select(['id', 'status', 'size_bytes']).where('round_id', '=', round.value).execute();
  assert(
    rows.length === UPLOADS && rows.every((r) => r.status === 'complete' && Number(r.size_bytes) === size),
    `rows: ${JSON.stringify(rows.slice(0, 3))}`,
  );
  const tusDir = path.join(ctx.dataDir, 'uploads', 'tus');
  for (const id of ids) assert(sha(fs.readFileSync(path.join(tusDir, id))) === want, `upload ${id} differs from the original`);
  for (const id of ids) for (const f of [id, `${id}.json`]) fs.rmSync(path.join(tusDir, f), { force: true });
  fs.rmSync(work, { recursive: true, force: true });

  const copyRow = row(total, copies);
  const upRow = row(total, uploads);
  ctx.report(`plain file copy (${UPLOADS} × ${(size / 1048576).toFixed(1)} MB at once), MB/s`, copyRow, 'other');
  ctx.report(`tus uploads through the server (${UPLOADS} × ${(size / 1048576).toFixed(1)} MB at once), MB/s`, upRow, 'other');
  ctx.log(
    `contest-uploads: ${upRow.reqPerSec.toFixed(1)} MB/s through the server (each upload p50 ${upRow.p50} ms, p99 ${upRow.p99} ms) vs ${copyRow.reqPerSec.toFixed(1)} MB/s plain copy (${((100 * upRow.reqPerSec) / copyRow.reqPerSec).toFixed(1)} %); all ${UPLOADS} complete and identical`,
  );
}
