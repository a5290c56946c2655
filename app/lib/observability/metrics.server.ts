import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';

import client from 'prom-client';

/**
 * Prometheus metrics (prom-client) of this process, in prom-client's default registry:
 *
 * | metric | type | labels |
 * |---|---|---|
 * | `llw_http_requests_total` | counter | method, route, status |
 * | `llw_http_request_duration_seconds` | histogram | method, route |
 * | `llw_page_cache_requests_total` | counter | result (hit, miss, bypass) |
 * | `llw_db_query_duration_seconds` | histogram | kind (select, insert, update, delete, other) |
 * | `llw_db_query_errors_total` | counter | kind |
 * | `llw_job_runs_total` | counter | job, outcome (ok, failed) |
 * | `llw_job_duration_seconds` | histogram | job |
 * | `llw_mail_queue_depth` | gauge | state (pending, sending, digest) — read from the database at scrape |
 * | `llw_process_*`, `llw_nodejs_*` | prom-client's default process metrics | |
 *
 * With several workers (cluster), the primary gathers every worker's numbers
 * (prom-client's AggregatorRegistry: counters and histograms summed, the queue depth taken once).
 */

export type QueryKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

interface Metrics {
  requests: client.Counter<'method' | 'route' | 'status'>;
  duration: client.Histogram<'method' | 'route'>;
  pageCache: client.Counter<'result'>;
  query: client.Histogram<'kind'>;
  queryErrors: client.Counter<'kind'>;
  jobRuns: client.Counter<'job' | 'outcome'>;
  jobDuration: client.Histogram<'job'>;
  mailQueue: client.Gauge<'state'>;
  mailQueueReader: (() => Promise<Array<{ state: string; n: number }>>) | null;
}

const g = globalThis as unknown as { __llwMetrics?: Metrics };

export function metrics(): Metrics {
  if (g.__llwMetrics) return g.__llwMetrics;
  client.collectDefaultMetrics({ prefix: 'llw_' });
  const m: Metrics = {
    requests: new client.Counter({
      name: 'llw_http_requests_total',
      help: 'HTTP requests answered, by method, route and status',
      labelNames: ['method', 'route', 'status'],
    }),
    duration: new client.Histogram({
      name: 'llw_http_request_duration_seconds',
      help: 'Time from request to the end of the response, by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    pageCache: new client.Counter({
      name: 'llw_page_cache_requests_total',
      help: 'Requests the rendered-page cache looked at: hit (answered from memory), miss (rendered and stored), bypass (rendered, not storable). Hit ratio = hit / (hit + miss + bypass)',
      labelNames: ['result'],
    }),
    query: new client.Histogram({
      name: 'llw_db_query_duration_seconds',
      help: 'Database query time (Kysely), by kind of statement',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    }),
    queryErrors: new client.Counter({ name: 'llw_db_query_errors_total', help: 'Database queries that failed', labelNames: ['kind'] }),
    jobRuns: new client.Counter({ name: 'llw_job_runs_total', help: 'Periodic job runs by outcome', labelNames: ['job', 'outcome'] }),
    jobDuration: new client.Histogram({
      name: 'llw_job_duration_seconds',
      help: 'Periodic job run time',
      labelNames: ['job'],
      buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300],
    }),
    mailQueue: new client.Gauge({
      name: 'llw_mail_queue_depth',
      help: 'Notification mails waiting: pending (next send run), sending (claimed), digest (daily digest)',
      labelNames: ['state'],
      aggregator: 'max', // every worker reads the same table
      async collect() {
        const read = g.__llwMetrics?.mailQueueReader;
        if (!read) return;
        this.reset();
        try {
          for (const r of await read()) this.set({ state: r.state }, r.n);
        } catch {
          /* database unreachable: /readyz says so; the scrape still answers */
        }
      },
    }),
    mailQueueReader: null,
  };
  g.__llwMetrics = m;
  // A worker answers its primary's requests for its numbers (prom-client's listener).
  if (cluster.isWorker) new client.AggregatorRegistry();
  return m;
}

/** Where the mail queue depth is read from (set once the database is open). */
export function setMailQueueReader(read: () => Promise<Array<{ state: string; n: number }>>): void {
  metrics().mailQueueReader = read;
}

export function queryKind(sqlText: string): QueryKind {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(select|insert|update|delete)\b/i.exec(sqlText);
  return (m?.[1]?.toLowerCase() as QueryKind | undefined) ?? 'other';
}

export function observeQuery(sqlText: string, ms: number, failed: boolean): void {
  const m = metrics();
  const kind = queryKind(sqlText);
  m.query.observe({ kind }, ms / 1000);
  if (failed) m.queryErrors.inc({ kind });
}

export function observeJob(job: string, ms: number, ok: boolean): void {
  const m = metrics();
  m.jobRuns.inc({ job, outcome: ok ? 'ok' : 'failed' });
  m.jobDuration.observe({ job }, ms / 1000);
}

export const METRICS_REQUEST = 'llw:metrics?';
export const METRICS_REPLY = 'llw:metrics!';

/**
 * The exposition text: this process's registry, or — in a cluster worker — every worker's,
 * gathered by the primary (app/lib/cluster.server.ts answers METRICS_REQUEST).
 */
export async function metricsText(): Promise<string> {
  metrics();
  if (!cluster.isWorker || !process.send) return client.register.metrics();
  const id = randomUUID();
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('metrics: the primary did not answer'));
    }, 5_000);
    const onMessage = (m: unknown) => {
      const msg = m as { type?: string; id?: string; text?: string; error?: string };
      if (msg?.type !== METRICS_REPLY || msg.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (msg.error) reject(new Error(msg.error));
      else resolve(msg.text ?? '');
    };
    process.on('message', onMessage);
    process.send!({ type: METRICS_REQUEST, id });
  });
}

export const metricsContentType = client.register.contentType;
