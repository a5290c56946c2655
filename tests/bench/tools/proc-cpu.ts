import fs from 'node:fs';

/**
 * CPU time (user + system, ms) of a process and every descendant (a server, its workers and its
 * jobs process), read from /proc; null where /proc or the process is missing. Assumes 100 clock
 * ticks per second (the Linux default). Shared by the benches that report a server's CPU per
 * request (contests, community, tools/contest-save-http.ts).
 */
export function treeCpuMs(pid: number | undefined): number | null {
  if (!pid || !fs.existsSync(`/proc/${pid}`)) return null;
  let total = 0;
  const visit = (p: number) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime
      for (const tid of fs.readdirSync(`/proc/${p}/task`))
        for (const child of fs.readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(child));
    } catch {
      // the process ended meanwhile
    }
  };
  visit(pid);
  return total;
}
