/**
 * The cold-cache opening burst (issue 10): `requests` GETs spread over `pages`, `connections` at
 * once (keep-alive sockets, as browsers and proxies hold them), right after a server start. Records
 * each request's latency and how many answers were renders (`X-Page-Cache: miss`) per page.
 * Used by tests/bench/run.ts; alone: `node --import tsx tests/bench/tools/burst.ts <baseUrl>`.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export interface BurstResult {
  requests: number;
  connections: number;
  seconds: number;
  maxMs: number;
  p99Ms: number;
  non200: number;
  missesByPath: Record<string, number>;
}

export async function coldBurst(baseUrl: string, pages: string[], o: { requests: number; connections: number }): Promise<BurstResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  const missesByPath: Record<string, number> = Object.fromEntries(pages.map((p) => [p, 0]));
  let non200 = 0;
  let next = 0;
  const one = (p: string) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      http
        .get(`${baseUrl}${p}`, { agent, headers: { 'Accept-Encoding': 'br, gzip' } }, (res) => {
          if (res.headers['x-page-cache'] === 'miss') missesByPath[p]!++;
          if (res.statusCode !== 200) non200++;
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            resolve();
          });
        })
        .on('error', reject);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      while (next < o.requests) {
        const i = next++;
        await one(pages[i % pages.length]!);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: o.requests,
    connections: o.connections,
    seconds,
    maxMs: Math.round(latencies.at(-1) ?? 0),
    p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
    non200,
    missesByPath,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const base = process.argv[2] ?? 'http://127.0.0.1:3000';
  console.log(await coldBurst(base, ['/', '/weeks/2024', '/library', '/resources', '/courses'], { requests: 2_000, connections: 200 }));
}
