import type { Locale, TFunction } from '~/i18n/i18n';
import { getT } from '~/i18n/i18n.server';

/**
 * The language of the operations commands (`npm run backup`, `restore`, `storage:copy`): Vietnamese
 * unless LLW_LANG — else the POSIX locale variables LC_ALL, LC_MESSAGES, LANG — starts with `en`
 * (`en`, `en_US.UTF-8`, `en-GB`…). Messages in app/locales/<lang>/ops.json.
 */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const lang = env.LLW_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^en(?:[_.@-]|$)/i.test(lang) ? 'en' : 'vi';
}

/** A `t` in the operator's language. */
export const cliT = (env: NodeJS.ProcessEnv = process.env): TFunction => getT(cliLocale(env));
