import path from 'node:path';

import { z } from 'zod';

const schema = z
  .object({
    // The app's own mode (Secure cookies, required secret). Not NODE_ENV: server.ts always sets
    // NODE_ENV=production for the served build so React renders with its production build.
    APP_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z.string().optional(),
    SESSION_SECRET: z.string().optional(),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().default('Tuần lễ học tập suốt đời <no-reply@localhost>'),
    MUX_DATA_ENV_KEY: z.string().optional(),
    PUBLIC_URL: z.string().url().optional(),
    SEED_DEMO: z.enum(['0', '1']).optional(),
    TRUST_PROXY: z.enum(['0', '1']).default('0'),
    BACKUP_DIR: z.string().min(1).optional(),
    BACKUP_KEEP: z.coerce.number().int().min(0).max(365).default(7),
    // Backups are incremental (only new objects of the file store downloaded) with a full one every N days (0: always full).
    BACKUP_FULL_EVERY_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    // A backup folder's lock not renewed for this long is stale (a live backup renews it every minute or so).
    BACKUP_LOCK_MAX_AGE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(30),
    // Objects a restore writes to the file store at the same time.
    RESTORE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    // Web push (optional; off unless both keys are set): `npx web-push generate-vapid-keys`.
    VAPID_PUBLIC_KEY: z.string().min(40).optional(),
    VAPID_PRIVATE_KEY: z.string().min(20).optional(),
    VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:\/\/)/, 'must be a mailto: or https:// address the push services can reach you at')
      .optional(),
    // Push services a browser subscription may point at (host suffixes, comma-separated); the
    // default names the browsers' own services. Anything else is refused (no requests to
    // addresses a member typed).
    WEB_PUSH_HOSTS: z.string().optional(),
    // SQLite durability of the server's connection (README "Crash safety"): FULL survives a power cut.
    SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    // SQLite reads the database through a memory map up to this many MiB (default 1024, db/connection.ts); 0: off.
    SQLITE_MMAP_MB: z.coerce.number().int().min(0).optional(),
    // Logs every statement slower than this many ms (its SQL, never its values); 0 (default): off.
    SLOW_QUERY_MS: z.coerce.number().min(0).default(0),
    // Group commit (db/dialect.ts writeTransaction): concurrent write transactions of a process share
    // one BEGIN IMMEDIATE … COMMIT (one fsync); 0 turns it off (one transaction per call).
    SQLITE_GROUP_COMMIT: z.enum(['0', '1']).default('1'),
    // With FULL, a batch's COMMIT fsyncs the WAL after the write lock is let go, off the event loop
    // (db/dialect.ts deferredSyncOf), its calls answered only after that fsync; 0 keeps it in COMMIT.
    SQLITE_DEFERRED_SYNC: z.enum(['0', '1']).default('1'),
    // Diagnostics: every group-commit batch's timings and every GC pause appended to this file
    // (db/dialect.ts, read there from the process environment); unset: off.
    SQLITE_BATCH_TRACE: z.string().optional(),
    // Uploaded files: the disk (unset) or an S3-compatible object store (s3://bucket?endpoint=…).
    STORAGE_URL: z
      .string()
      .regex(/^s3:\/\/[^/?]+/, 'must be s3://bucket?endpoint=https://… (or unset for the local disk)')
      .optional(),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((env, ctx) => {
    const realDeployment = env.APP_ENV === 'production' || env.SEED_DEMO === '0';
    if (realDeployment && (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'is required without demo data (SEED_DEMO=0) or with APP_ENV=production (at least 32 characters)',
      });
    }
    if (env.APP_ENV === 'production' && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required in production (the origin of every link the site writes, e.g. https://hoctap.example.vn)',
      });
    }
    if (env.PUBLIC_URL && !/^https?:\/\//.test(env.PUBLIC_URL)) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must start with https:// (or http:// outside production)' });
    }
    if (!!env.VAPID_PUBLIC_KEY !== !!env.VAPID_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['VAPID_PRIVATE_KEY'], message: 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together' });
    }
    if (env.DATABASE_URL && !/^(postgres(ql)?:\/\/|file:|sqlite:|\.|\/)/.test(env.DATABASE_URL)) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'must be postgres://…, file:…, or a path to a SQLite file' });
    }
  });

export type Env = z.infer<typeof schema> & { DATABASE_URL: string; BACKUP_DIR: string; isProduction: boolean; seedDemo: boolean };

let cached: Env | undefined;

/** Reads and checks the environment once; a bad value stops the server with a clear message. */
export function getEnv(): Env {
  if (cached) return cached;
  // APP_ENV defaults to the NODE_ENV the server was started with (server.ts keeps it in LLW_NODE_ENV).
  const appEnv = process.env.APP_ENV ?? process.env.LLW_NODE_ENV ?? process.env.NODE_ENV;
  const parsed = schema.safeParse({ ...process.env, APP_ENV: appEnv || undefined });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    DATA_DIR: path.resolve(e.DATA_DIR),
    DATABASE_URL: e.DATABASE_URL || path.join(path.resolve(e.DATA_DIR), 'app.sqlite'),
    BACKUP_DIR: path.resolve(e.BACKUP_DIR || path.join(e.DATA_DIR, 'backups')),
    isProduction: e.APP_ENV === 'production',
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === '1' : e.APP_ENV !== 'production',
  };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
