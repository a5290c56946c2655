/**
 * `npm test`: everything, in order — Chromium and ffmpeg checks, lint (ESLint, Prettier), typecheck (typed translation keys), the vi/en translation parity test, production build, then Vitest
 * (unit, integration on real databases, browser tests on the built site). Exits non-zero on any
 * failure and ends with a plain "N passed, N failed" line.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  return r.status ?? 1;
}

/** A Debian package the tests need (Chromium for the browser tests, ffmpeg for the contest-entry recordings). */
function ensurePackage(what: string, file: string, pkg: string): void {
  if (fs.existsSync(file)) return;
  const install = `apt-get update && apt-get install -y ${pkg}`;
  if (process.getuid?.() === 0) {
    console.log(`${what} is missing: installing it from Debian (${install})`);
    if (run('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${install} >/dev/null`]) === 0 && fs.existsSync(file)) return;
  }
  console.error(`${what} is needed by the tests. Install it with:\n  sudo ${install}`);
  process.exit(1);
}

const only = process.argv.slice(2);
ensurePackage('Chromium', CHROMIUM, 'chromium');
ensurePackage('ffmpeg', '/usr/bin/ffmpeg', 'ffmpeg');

/** Runs the commands at once (each is single-threaded), then prints each one's output in order. */
async function runTogether(cmds: Array<[string, string[]]>): Promise<boolean> {
  const results = await Promise.all(
    cmds.map(
      ([cmd, args]) =>
        new Promise<{ line: string; out: string; code: number }>((resolve) => {
          let out = '';
          const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
          child.stdout.on('data', (b: Buffer) => (out += b.toString()));
          child.stderr.on('data', (b: Buffer) => (out += b.toString()));
          child.on('close', (code) => resolve({ line: `${cmd} ${args.join(' ')}`, out, code: code ?? 1 }));
        }),
    ),
  );
  for (const r of results) {
    console.log(`\n$ ${r.line}`);
    process.stdout.write(r.out);
  }
  return results.every((r) => r.code === 0);
}

// Lint, formatting and types together: three single-threaded checks on a 2-core machine.
const checked = await runTogether([
  ['npx', ['eslint', '.', '--max-warnings=50']],
  ['npx', ['prettier', '--check', '.', '--log-level=warn']],
  ['npx', ['tsc', '--noEmit']],
]);
if (!checked) process.exit(1);
// Translations: every key in vi and en with the same placeholders (fast; before the build).
if (run('npx', ['vitest', 'run', '--project', 'unit', 'tests/unit/i18n-parity.test.ts']) !== 0) process.exit(1);
if (run('npx', ['remix', 'build']) !== 0) process.exit(1);

const out = path.resolve('tests/.tmp/vitest-results.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.rmSync(out, { force: true });
const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...only], {
  ...process.env,
  NODE_ENV: 'test',
});
let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(out)) {
  const r = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + r.numTodoTests;
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
