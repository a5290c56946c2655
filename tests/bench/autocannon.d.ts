// The parts of autocannon 9 that tests/bench/run.ts uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
    }
    interface Histogram {
      average: number;
      total: number;
      p50: number;
      p99: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      non2xx: number;
      errors: number;
      timeouts: number;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      method?: Request['method'];
      headers?: Record<string, string>;
      body?: string;
      /** Stop after this many requests (tools/shell-cpu.ts). */
      amount?: number;
      /** Seconds before a request counts as an error (default 10; tools/shell-ab.ts on a loaded machine). */
      timeout?: number;
    }
  }
  function autocannon(opts: autocannon.Options, cb: (err: Error | null, res: autocannon.Result) => void): unknown;
  export default autocannon;
}
