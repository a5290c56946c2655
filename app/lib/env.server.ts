import path from 'node:path';

import { z } from 'zod';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
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
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production (at least 32 characters)' });
    }
    if (env.NODE_ENV === 'production' && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required in production (the origin of every link the site writes, e.g. https://hoctap.example.vn)',
      });
    }
    if (env.PUBLIC_URL && !/^https?:\/\//.test(env.PUBLIC_URL)) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must start with https:// (or http:// outside production)' });
    }
    if (env.DATABASE_URL && !/^(postgres(ql)?:\/\/|file:|sqlite:|\.|\/)/.test(env.DATABASE_URL)) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'must be postgres://…, file:…, or a path to a SQLite file' });
    }
  });

export type Env = z.infer<typeof schema> & { DATABASE_URL: string; isProduction: boolean; seedDemo: boolean };

let cached: Env | undefined;

/** Reads and checks the environment once; a bad value stops the server with a clear message. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    DATA_DIR: path.resolve(e.DATA_DIR),
    DATABASE_URL: e.DATABASE_URL || path.join(path.resolve(e.DATA_DIR), 'app.sqlite'),
    isProduction: e.NODE_ENV === 'production',
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === '1' : e.NODE_ENV !== 'production',
  };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
