import fs from 'node:fs';

/** CPU clock ticks (user + system, 100 a second) of one process so far, from /proc/<pid>/stat. */
export function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

/**
 * CPU time (user + system, ms) of a process and every descendant (a server, its workers and its
 * jobs process), read from /proc; null where /proc or the process is missing. Assumes 100 clock
 * ticks per second (the Linux default). Shared by the benches that report a server's CPU per
 * request (contests, community, tools/contest-save-http.ts, tools/contest-submit-http.ts).
 */
export function treeCpuMs(pid: number | undefined): number | null {
  if (!pid || !fs.existsSync(`/proc/${pid}`)) return null;
  let total = 0;
  const visit = (p: number) => {
    try {
      total += (cpuTicks(p) * 1000) / 100;
      for (const tid of fs.readdirSync(`/proc/${p}/task`))
        for (const child of fs.readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(child));
    } catch {
      // the process ended meanwhile
    }
  };
  visit(pid);
  return total;
}
