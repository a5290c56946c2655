import type { Role } from '~/db/schema';

/** The main navigation. Each area adds its entry; `roles` hides entries from users without them. */
export interface NavItem {
  to: string;
  labelKey: string;
  roles?: Role[];
}

export const mainNav: NavItem[] = [
  { to: '/weeks', labelKey: 'common.nav.weeks' },
  { to: '/units', labelKey: 'common.nav.units' },
  { to: '/library', labelKey: 'common.nav.library' },
  { to: '/courses', labelKey: 'common.nav.courses' },
  { to: '/resources', labelKey: 'common.nav.resources' },
  { to: '/contests', labelKey: 'common.nav.contests' },
  { to: '/search', labelKey: 'common.nav.search' },
];

export const staffNav: NavItem[] = [
  { to: '/organise', labelKey: 'common.nav.organise', roles: ['organiser', 'admin'] },
  { to: '/admin/roles', labelKey: 'common.nav.adminRoles', roles: ['admin'] },
  { to: '/weeks/new', labelKey: 'common.nav.newWeek', roles: ['admin'] },
];
