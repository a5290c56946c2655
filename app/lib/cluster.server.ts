import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';

import { AggregatorRegistry } from 'prom-client';

import { METRICS_REPLY, METRICS_REQUEST } from './observability/metrics.server';

/**
 * One server process per core behind one port (Node's `cluster`: the primary accepts, workers
 * serve). The primary prepares the database once (migrations, content, demo seed) and then only
 * supervises: it re-forks a worker that dies, restarts workers one by one on SIGHUP (no moment
 * without a serving worker), and stops them all on SIGTERM/SIGINT. Exactly one worker runs the
 * periodic jobs (LLW_JOBS=1); its replacement takes them over only after it has exited.
 * With one worker (WEB_CONCURRENCY=1) everything runs in the one process, without `cluster`.
 */

export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEB_CONCURRENCY;
  if (raw === undefined || raw === '') return env.REMIX_DEV_ORIGIN ? 1 : os.availableParallelism(); // `npm run dev`: one process
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 256 (got "${raw}")`);
  return n;
}

export interface Served {
  /** Stops accepting, finishes requests in flight, stops jobs, closes the database. */
  close: () => Promise<void>;
}

export interface ClusterOptions {
  workers: number;
  /** Runs once (in the primary, or the only process) before any worker serves. */
  prepare: () => Promise<void>;
  /** Runs in every worker (or the only process); `jobs` is true in exactly one. */
  serve: (o: { jobs: boolean }) => Promise<Served>;
}

const log = (msg: string) => console.log(`[cluster] ${msg}`);
const STOP = 'llw:stop';
const WORKER_LINGER_MS = 1000;

function stopOnSignals(close: () => Promise<void>) {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: closing pid ${process.pid}`);
    setTimeout(() => process.exit(0), 10_000).unref();
    // A worker lingers a moment after closing: the primary may have handed it a connection just
    // before it learnt the server closed, and only a live worker answers "not accepted" so that the
    // primary gives the connection to another; exiting at once lost it (the visitor waited forever).
    void close()
      .then(() => (cluster.isWorker ? new Promise((r) => setTimeout(r, WORKER_LINGER_MS)) : undefined))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return stop;
}

export async function runServer(o: ClusterOptions): Promise<void> {
  if (cluster.isWorker) {
    const served = await o.serve({ jobs: process.env.LLW_JOBS === '1' });
    const stop = stopOnSignals(served.close);
    // The primary asks a worker to stop (graceful restart or shutdown) with a message: a bare
    // disconnect() would wait for every keep-alive connection to close on its own.
    process.on('message', (m: unknown) => {
      if (m === STOP) stop('stop requested');
    });
    cluster.worker!.on('disconnect', () => stop('disconnect'));
    return;
  }
  await o.prepare();
  if (o.workers <= 1) {
    const served = await o.serve({ jobs: true });
    stopOnSignals(served.close);
    return;
  }
  runPrimary(o.workers);
}

function runPrimary(count: number) {
  let shuttingDown = false;
  let jobsWorker: Worker | null = null;
  const retiring = new WeakSet<Worker>();
  const retire = (w: Worker) => {
    retiring.add(w);
    if (w.isConnected()) w.send(STOP);
    else w.process.kill('SIGTERM');
  };
  const fork = (jobs: boolean): Worker => {
    const w = cluster.fork({ LLW_JOBS: jobs ? '1' : '0' });
    if (jobs) jobsWorker = w;
    w.on('exit', (code, signal) => {
      if (jobsWorker === w) jobsWorker = null;
      if (shuttingDown || retiring.has(w) || w.exitedAfterDisconnect) return;
      log(`worker ${w.process.pid} died (${signal ?? code}); starting another`);
      setTimeout(() => !shuttingDown && fork(jobs && jobsWorker === null), 500);
    });
    return w;
  };
  for (let i = 0; i < count; i++) fork(i === 0);
  log(`primary ${process.pid}: ${count} workers`);

  // A worker asked for /metrics: the primary gathers every worker's registry and answers it.
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (w, m: unknown) => {
    const msg = m as { type?: string; id?: string };
    if (msg?.type !== METRICS_REQUEST) return;
    aggregator
      .clusterMetrics()
      .then((text) => w.isConnected() && w.send({ type: METRICS_REPLY, id: msg.id, text }))
      .catch(
        (e: unknown) => w.isConnected() && w.send({ type: METRICS_REPLY, id: msg.id, error: e instanceof Error ? e.message : String(e) }),
      );
  });

  const exited = (w: Worker) => new Promise<void>((r) => (w.isDead() ? r() : w.once('exit', () => r())));
  const listening = (w: Worker) => new Promise<void>((r) => w.once('listening', () => r()));

  let restarting = false;
  process.on('SIGHUP', () => {
    if (restarting || shuttingDown) return;
    restarting = true;
    log('SIGHUP: restarting workers one by one');
    void (async () => {
      for (const old of Object.values(cluster.workers ?? {})) {
        if (!old || shuttingDown) continue;
        if (old === jobsWorker) {
          // The jobs must never run twice at once: the replacement takes them once the old one is gone.
          retire(old);
          await exited(old);
          const w = fork(true);
          await listening(w);
        } else {
          const w = fork(false);
          await listening(w);
          retire(old);
          await exited(old);
        }
      }
      restarting = false;
      log('restart done');
    })();
  });

  const stopAll = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: stopping workers`);
    const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    for (const w of all) retire(w);
    setTimeout(() => process.exit(0), 12_000).unref();
    void Promise.all(all.map(exited)).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
}
