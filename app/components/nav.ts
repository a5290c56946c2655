import type { Role } from '~/db/schema';
import type { TKey } from '~/i18n/keys';

/** The main navigation. Each area adds its entry; `roles` hides entries from users without them. */
export interface NavItem {
  to: string;
  labelKey: TKey;
  roles?: Role[];
}

export const mainNav: NavItem[] = [
  { to: '/weeks', labelKey: 'common.nav.weeks' },
  { to: '/units', labelKey: 'common.nav.units' },
  { to: '/library', labelKey: 'common.nav.library' },
  { to: '/courses', labelKey: 'common.nav.courses' },
  { to: '/clubs', labelKey: 'common.nav.clubs' },
  { to: '/resources', labelKey: 'common.nav.resources' },
  { to: '/forums', labelKey: 'common.nav.forums' },
  { to: '/contests', labelKey: 'common.nav.contests' },
  { to: '/search', labelKey: 'common.nav.search' },
];

export const staffNav: NavItem[] = [
  { to: '/organise', labelKey: 'common.nav.organise', roles: ['organiser', 'admin'] },
  { to: '/admin/roles', labelKey: 'common.nav.adminRoles', roles: ['admin'] },
  { to: '/weeks/new', labelKey: 'common.nav.newWeek', roles: ['admin'] },
];
