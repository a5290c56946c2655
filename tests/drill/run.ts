/**
 * `npm run drill`: the crash drill at a larger scale than the test (several rounds of load, SIGKILL
 * and restart on one data directory), printing the figures quoted in the README.
 * DRILL_ROUNDS (default 5), DRILL_ACKS (acknowledged writes before each kill, default 300),
 * DRILL_CLIENTS (default 8), DRILL_DIALECT (sqlite, the default, or postgres: a fresh database on
 * TEST_DATABASE_URL).
 */
import { runDrill } from './crash-drill';

const dialect = process.env.DRILL_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
const results = await runDrill({
  dialect,
  rounds: Number(process.env.DRILL_ROUNDS ?? 5),
  killAfterAcks: Number(process.env.DRILL_ACKS ?? 300),
  clients: Number(process.env.DRILL_CLIENTS ?? 8),
  maxLoadMs: 120_000,
  log: (l) => console.log(l),
});
const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((n, r) => n + f(r), 0);
const kinds = ['signups', 'borrows', 'returns', 'uploads', 'answerSaves', 'submissions', 'planSaves'] as const;
const acked = sum((r) => kinds.reduce((n, k) => n + r.acknowledged[k], 0));
const lost = sum((r) => r.lost.length);
const half = sum((r) => r.halfWritten.length);
console.log(
  `\n${results.length} kills; ${acked} acknowledged writes (${kinds.map((k) => `${k} ${sum((r) => r.acknowledged[k])}`).join(', ')}); ${sum((r) => r.inFlightAtKill)} requests in flight at the kills; lost ${lost}; half-written ${half}; ${dialect === 'sqlite' ? `integrity ${results.every((r) => r.integrity === 'ok') ? 'ok' : 'FAILED'}` : 'PostgreSQL'}; restart to ready ${Math.min(...results.map((r) => r.restartMs))}–${Math.max(...results.map((r) => r.restartMs))} ms`,
);
process.exit(lost || half || results.some((r) => r.integrity !== null && r.integrity !== 'ok') ? 1 : 0);
