/**
 * Which translation files a page needs, from its path: every page gets the shared ones, area
 * pages add their own. Sending only these (instead of every area's file) keeps each page's
 * HTML small on slow mobile networks. A path this table does not know gets every file, so a
 * new area works before it is listed here — then list it.
 */
export const BASE_NAMESPACES = ['common', 'errors', 'weeks', 'accounts'] as const;
export const ALL_NAMESPACES = [
  ...BASE_NAMESPACES,
  'library',
  'oer',
  'courses',
  'clubs',
  'units',
  'community',
  'contests',
  'stats',
  'honours',
  'outreach',
  'reports',
] as const;

const FOUNDATION =
  /^\/(?:$|weeks(?:\/|$)|units(?:\/|$)|login$|signup$|logout$|account$|organise(?:\/|$)|admin(?:\/|$)|settings(?:\/|$)|forgot-password$|reset-password$|healthz$)/;

const AREAS: Array<[RegExp, string[]]> = [
  [/^\/(?:library|opds|shelf|bookshelves)(?:\/|$)/, ['library']],
  [/^\/resources(?:\/|$)/, ['oer']],
  [/^\/units\/[^/]+\/resources/, ['oer']],
  [/^\/search(?:\/|$)/, ['oer', 'library', 'courses']],
  [/^\/(?:courses|verify|certificates)(?:\/|$)/, ['courses', 'oer']],
  [/^\/weeks\/\d{4}\/?$/, ['oer']],
  [/^\/(?:clubs|reading)(?:\/|$)/, ['clubs']],
  [/^\/units(?:\/|$)/, ['units']],
  [/^\/(?:forums|notifications)(?:\/|$)/, ['community', 'library']],
  [/^\/account\/notifications$/, ['community']],
  [/^\/contests(?:\/|$)/, ['contests']],
  [/^\/(?:verify|certificates)(?:\/|$)/, ['contests']],
  [/^\/offline$/, ['library']],
  [/^\/weeks\/\d{4}\/stats(?:\/|$)/, ['stats']],
  [/^\/(?:honours|verify|certificates)(?:\/|$)/, ['honours']],
  [/^\/(?:weeks\/\d{4}|units\/[^/]+)\/honours/, ['honours']],
  [/^\/weeks\/\d{4}(?:\/outreach|\/plans\/[^/]+)?(?:\/|$)/, ['outreach']],
  [/^\/units\/[^/]+(?:\/news)?\/?$/, ['outreach']],
  [/^\/weeks\/\d{4}\/reports(?:\/|$)/, ['reports']],
  [/^\/(?:notifications|account\/notifications)(?:\/|$)/, ['reports']],
  // Club notices show in the notification centre and its settings.
  [/^\/(?:notifications(?:\/|$)|account\/notifications$)/, ['clubs']],
  // A club's threads run on the shared discussion engine (its words are community's).
  [/^\/clubs\/[^/]+\/(?:t|discussion)(?:\/|$)/, ['community']],
  // Reading challenge certificates are verified and printed with the others.
  [/^\/(?:verify|certificates)(?:\/|$)/, ['clubs']],
  // Honour notices (a nomination to decide, its outcome, a contest badge) in the notification centre.
  [/^\/(?:notifications(?:\/|$)|account\/notifications$)/, ['honours']],
  // The link to a contest's badge desk on its manage page.
  [/^\/contests\/[^/]+\/manage$/, ['honours']],
];

export function namespacesFor(pathname: string): string[] {
  const extra = new Set<string>();
  for (const [re, ns] of AREAS) if (re.test(pathname)) ns.forEach((n) => extra.add(n));
  if (!extra.size && !FOUNDATION.test(pathname)) return [...ALL_NAMESPACES];
  return [...BASE_NAMESPACES, ...[...extra].sort()];
}
