import type { FlagReason } from '~/db/schema';
import type { ModAction } from '~/domain/discussion/moderation.server';
import type { TKey } from '~/i18n/keys';

/** The discussion engine's codes → translation keys, for the thread view and the review queue. */
export const modActionLabel = {
  approve: 'community.mod.approve',
  hide: 'community.mod.hide',
  delete: 'community.mod.delete',
  warn: 'community.mod.warn',
  silence: 'community.mod.silence',
  lock: 'community.mod.lock',
  unlock: 'community.mod.unlock',
  pin: 'community.mod.pin',
  unpin: 'community.mod.unpin',
  slow: 'community.mod.slow',
  move: 'community.mod.move',
} as const satisfies Record<ModAction, TKey>;

export const flagReasonLabel = {
  spam: 'community.flags.spam',
  offensive: 'community.flags.offensive',
  off_topic: 'community.flags.off_topic',
  minor_data: 'community.flags.minor_data',
  other: 'community.flags.other',
} as const satisfies Record<FlagReason, TKey>;
