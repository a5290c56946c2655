/**
 * An in-process HTTP server for the tests of the requests answered before Express and Remix
 * (app/lib/direct-post.server.ts and its users): every request goes to the direct path first; what
 * it hands on reaches a stand-in for Express and Remix, which records it — its path and body, and
 * with `contextOf` the load context Remix would be given — and answers 299.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Express = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface DirectServer<P> {
  base: string;
  /** What reached the stand-in, in order. */
  passedOn: P[];
  /** For each request, whether the direct path took it. */
  taken: boolean[];
  /** Empties `passedOn` and `taken` (in place: references to them stay good). */
  reset(): void;
  /** A form POST from this site (its Origin), the redirect not followed, as a browser posts the page's form. */
  post(path: string, body: string, headers: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export function startDirectServer(
  direct: (req: http.IncomingMessage, res: http.ServerResponse, express: Express) => boolean,
): Promise<DirectServer<{ url: string; body: string }>>;
export function startDirectServer<C>(
  direct: (req: http.IncomingMessage, res: http.ServerResponse, express: Express) => boolean,
  contextOf: (req: http.IncomingMessage) => C,
): Promise<DirectServer<{ url: string; body: string; context: C }>>;
export async function startDirectServer<C>(
  direct: (req: http.IncomingMessage, res: http.ServerResponse, express: Express) => boolean,
  contextOf?: (req: http.IncomingMessage) => C,
): Promise<DirectServer<{ url: string; body: string; context?: C }>> {
  const passedOn: Array<{ url: string; body: string; context?: C }> = [];
  const taken: boolean[] = [];
  const express: Express = (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      passedOn.push(contextOf ? { url: req.url!, body, context: contextOf(req) } : { url: req.url!, body });
      res.writeHead(299, { 'Content-Type': 'text/plain' });
      res.end('express');
    });
  };
  const server = http.createServer((req, res) => {
    const took = direct(req, res, express);
    taken.push(took);
    if (!took) express(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    passedOn,
    taken,
    reset() {
      passedOn.length = 0;
      taken.length = 0;
    },
    post(path, body, headers) {
      return fetch(base + path, {
        method: 'POST',
        headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', ...headers },
        body,
        redirect: 'manual',
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
