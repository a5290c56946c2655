/**
 * `node tests/bench/tools/profile-share.ts <file.cpuprofile> fn…`: the share of CPU samples spent
 * inside each named function (inclusive), e.g. matchRoutesImpl — used with render-loop.ts under
 * `node --cpu-prof` to measure the route-matching patch on a machine too loaded for wall times.
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string };
  children?: number[];
}
const [file, ...names] = process.argv.slice(2);
const prof = JSON.parse(fs.readFileSync(file!, 'utf8')) as { nodes: Node[]; samples: number[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map<string, number>(names.map((n) => [n, 0]));
for (const s of prof.samples) {
  const seen = new Set<string>();
  for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
    const fn = byId.get(id)!.callFrame.functionName;
    if (counts.has(fn) && !seen.has(fn)) {
      seen.add(fn);
      counts.set(fn, counts.get(fn)! + 1);
    }
  }
}
const idle = prof.samples.filter((s) =>
  ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(s)!.callFrame.functionName),
).length;
const busy = prof.samples.length - idle;
for (const [fn, c] of counts) console.log(`${fn}: ${((100 * c) / busy).toFixed(1)} % of busy samples`);
