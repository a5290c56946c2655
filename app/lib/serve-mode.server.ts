import { createRequire } from 'node:module';

/**
 * Imported FIRST by server.ts, before React can be loaded: the served build always renders with
 * React's production build, whatever NODE_ENV the server was started with (`npm start` leaves it
 * unset, and React then picks its several-times-slower development build). The app's own mode
 * (Secure cookies, a required SESSION_SECRET) is APP_ENV; it defaults to the NODE_ENV given at
 * start, kept here in LLW_NODE_ENV. `npm run dev` (remix dev sets REMIX_DEV_ORIGIN) is left alone.
 */
if (!process.env.REMIX_DEV_ORIGIN) {
  if (process.env.LLW_NODE_ENV === undefined) process.env.LLW_NODE_ENV = process.env.NODE_ENV ?? '';
  process.env.NODE_ENV = 'production';
}

/** Which React DOM server build this process loaded ('production', 'development', or 'none yet'). */
export function reactDomServerBuild(): string {
  const cache = createRequire(import.meta.url).cache;
  for (const file of Object.keys(cache)) {
    const m = /react-dom-server\.node\.(production|development)/.exec(file);
    if (m) return m[1]!;
  }
  return 'none yet';
}
