/**
 * Every notification type of the platform, in one registry: the message (a literal translation
 * key), whether members may choose its email mode on their settings page, and the default modes
 * for adults and for minors (under 15: conservative). Areas add their types here.
 */
import type { EmailMode } from '~/db/schema';

export interface NotificationTypeDef {
  /** Translation key of the one-line message; `{{…}}` placeholders come from the params. */
  message: string;
  /** Shown on the settings page (a member may choose immediately / daily digest / never). */
  configurable: boolean;
  adult: EmailMode;
  minor: EmailMode;
  /**
   * For types whose notices gather while unread (a `collapseKey` given to notify): the message of a
   * notice standing for more than one event, with `{{count}}` (ten replies in one thread are one
   * notice, "10 new replies in …", not ten).
   */
  collapsed?: string;
}

export const NOTIFICATION_TYPES = {
  'community.reply': {
    message: 'community.notify.reply',
    collapsed: 'community.notify.replies',
    configurable: true,
    adult: 'immediate',
    minor: 'digest',
  },
  'community.mention': { message: 'community.notify.mention', configurable: true, adult: 'immediate', minor: 'never' },
  'community.moderation': { message: 'community.notify.moderation', configurable: true, adult: 'immediate', minor: 'digest' },
  // The library mails a ready hold itself (a transactional message with its own wording): in-app only here.
  'library.hold_ready': { message: 'library.notify.hold_ready', configurable: false, adult: 'never', minor: 'never' },
  'library.hold_expired': { message: 'library.notify.hold_expired', configurable: false, adult: 'never', minor: 'never' },
  'library.loan_expired': { message: 'library.notify.loan_expired', configurable: false, adult: 'never', minor: 'never' },
  // A Week report not submitted yet (one click by the level above, or 3 days / 1 day before the deadline).
  'reports.reminder': { message: 'reports.notify.reminder', configurable: true, adult: 'immediate', minor: 'digest' },
  // Reading clubs: a meeting soon, a seat freed from the waitlist, a poll, a part's discussion opening, a pair invitation.
  'clubs.reminder': { message: 'clubs.notify.reminder', configurable: true, adult: 'immediate', minor: 'digest' },
  'clubs.promoted': { message: 'clubs.notify.promoted', configurable: true, adult: 'immediate', minor: 'digest' },
  'clubs.poll_opened': { message: 'clubs.notify.pollOpened', configurable: true, adult: 'digest', minor: 'digest' },
  'clubs.poll_closed': { message: 'clubs.notify.pollClosed', configurable: true, adult: 'digest', minor: 'digest' },
  'clubs.milestone': { message: 'clubs.notify.milestone', configurable: true, adult: 'digest', minor: 'digest' },
  'clubs.pair_invite': { message: 'clubs.notify.pairInvite', configurable: true, adult: 'immediate', minor: 'digest' },
  // A reading challenge's goal reached (once per person per challenge), with the certificate on the challenge page.
  'clubs.challenge_finished': { message: 'clubs.notify.challengeFinished', configurable: true, adult: 'digest', minor: 'digest' },
  // Honour roll: a nomination awaiting the approver's decision, its outcome for the nominator, a contest winner's badge.
  'honours.submitted': { message: 'honours.notify.submitted', configurable: true, adult: 'immediate', minor: 'digest' },
  'honours.approved': { message: 'honours.notify.approved', configurable: true, adult: 'immediate', minor: 'digest' },
  'honours.returned': { message: 'honours.notify.returned', configurable: true, adult: 'immediate', minor: 'digest' },
  'honours.revoked': { message: 'honours.notify.revoked', configurable: true, adult: 'immediate', minor: 'digest' },
  'honours.awarded': { message: 'honours.notify.awarded', configurable: true, adult: 'immediate', minor: 'digest' },
} as const satisfies Record<string, NotificationTypeDef>;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;

export function isNotificationType(t: string): t is NotificationType {
  return Object.prototype.hasOwnProperty.call(NOTIFICATION_TYPES, t);
}

/** The translation key and parameters of a notice's one line: the gathered message once it stands for more than one event. */
export function noticeMessage(
  type: NotificationType,
  params: Record<string, unknown>,
  count = 1,
): { key: string; params: Record<string, unknown> } {
  const def: NotificationTypeDef = NOTIFICATION_TYPES[type];
  return count > 1 && def.collapsed ? { key: def.collapsed, params: { ...params, count } } : { key: def.message, params };
}

export const CONFIGURABLE_TYPES = (Object.keys(NOTIFICATION_TYPES) as NotificationType[]).filter((t) => NOTIFICATION_TYPES[t].configurable);

/** Under 15 in the current year (birth year only is stored). */
export function isMinor(birthYear: number | null | undefined, now = new Date()): boolean {
  return birthYear != null && now.getUTCFullYear() - birthYear < 15;
}
