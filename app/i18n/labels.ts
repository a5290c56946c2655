/**
 * Codes shown to people (a resource kind, a unit kind, a status) mapped to their translation keys
 * with literal keys, so every key can be found by searching for it and a missing one fails the
 * typecheck. Never build a key with a template literal; add the code here instead.
 * `labelOf(map, code)` is for codes that arrive as plain strings (database rows, search hits).
 */
import type { TKey } from './keys';

// The labels the home page and every page's error boundary need: a small module of their own, so
// that the first-load JavaScript does not carry every area's labels (this file, ~1.5 KB gzip).
export { activityKindLabel, errorPageText, labelOf, labelText, weekStatusLabel } from './labels-core';

export const unitKindLabel = {
  ministry: 'common.unitKinds.ministry',
  province: 'common.unitKinds.province',
  district: 'common.unitKinds.district',
  ward: 'common.unitKinds.ward',
  school: 'common.unitKinds.school',
  university: 'common.unitKinds.university',
  public_library: 'common.unitKinds.public_library',
  school_library: 'common.unitKinds.school_library',
  clc_library: 'common.unitKinds.clc_library',
  clc: 'common.unitKinds.clc',
  organisation: 'common.unitKinds.organisation',
  learning_unit: 'common.unitKinds.learning_unit',
} as const satisfies Record<string, TKey>;

export const roleLabel = {
  citizen: 'common.roles.citizen',
  teacher: 'common.roles.teacher',
  librarian: 'common.roles.librarian',
  organiser: 'common.roles.organiser',
  admin: 'common.roles.admin',
} as const satisfies Record<string, TKey>;

export const bandLabel = {
  child: 'accounts.bands.child',
  youth: 'accounts.bands.youth',
  adult: 'accounts.bands.adult',
  elder: 'accounts.bands.elder',
} as const satisfies Record<string, TKey>;

export const planStatusLabel = {
  draft: 'weeks.planStatus.draft',
  published: 'weeks.planStatus.published',
  none: 'weeks.planStatus.none',
} as const satisfies Record<string, TKey>;

export const libraryAudienceLabel = {
  children: 'library.audience.children',
  youth: 'library.audience.youth',
  adult: 'library.audience.adult',
  all: 'library.audience.all',
} as const satisfies Record<string, TKey>;

export const noteKindLabel = {
  bookmark: 'library.notes.bookmark',
  highlight: 'library.notes.highlight',
} as const satisfies Record<string, TKey>;

export const notifyLabel = {
  hold_ready: 'library.notify.hold_ready',
  hold_expired: 'library.notify.hold_expired',
  loan_expired: 'library.notify.loan_expired',
} as const satisfies Record<string, TKey>;

export const rotationStatusLabel = {
  requested: 'library.rotations.statuses.requested',
  accepted: 'library.rotations.statuses.accepted',
  active: 'library.rotations.statuses.active',
  returned: 'library.rotations.statuses.returned',
  declined: 'library.rotations.statuses.declined',
  cancelled: 'library.rotations.statuses.cancelled',
} as const satisfies Record<string, TKey>;

export const resourceKindLabel = {
  video: 'oer.kinds.video',
  document: 'oer.kinds.document',
  article: 'oer.kinds.article',
  periodical: 'oer.kinds.periodical',
  audio: 'oer.kinds.audio',
  slides: 'oer.kinds.slides',
  interactive: 'oer.kinds.interactive',
  simulation: 'oer.kinds.simulation',
} as const satisfies Record<string, TKey>;

export const resourceLevelLabel = {
  primary: 'oer.levels.primary',
  secondary: 'oer.levels.secondary',
  university: 'oer.levels.university',
  adult: 'oer.levels.adult',
  elderly: 'oer.levels.elderly',
} as const satisfies Record<string, TKey>;

export const subjectLabel = {
  'digital-skills': 'oer.subjects.digital-skills',
  reading: 'oer.subjects.reading',
  'self-learning': 'oer.subjects.self-learning',
  language: 'oer.subjects.language',
  science: 'oer.subjects.science',
  history: 'oer.subjects.history',
  health: 'oer.subjects.health',
  'life-skills': 'oer.subjects.life-skills',
  civics: 'oer.subjects.civics',
  maths: 'oer.subjects.maths',
  arts: 'oer.subjects.arts',
  other: 'oer.subjects.other',
} as const satisfies Record<string, TKey>;

export const languageLabel = {
  vi: 'oer.languages.vi',
  en: 'oer.languages.en',
  other: 'oer.languages.other',
} as const satisfies Record<string, TKey>;

export const licenceLabel = {
  'cc-by': 'oer.licences.cc-by',
  'cc-by-sa': 'oer.licences.cc-by-sa',
  'cc-by-nc': 'oer.licences.cc-by-nc',
  cc0: 'oer.licences.cc0',
  'public-domain': 'oer.licences.public-domain',
} as const satisfies Record<string, TKey>;

export const licenceNameLabel = {
  'cc-by': 'oer.licenceNames.cc-by',
  'cc-by-sa': 'oer.licenceNames.cc-by-sa',
  'cc-by-nc': 'oer.licenceNames.cc-by-nc',
  cc0: 'oer.licenceNames.cc0',
  'public-domain': 'oer.licenceNames.public-domain',
} as const satisfies Record<string, TKey>;

export const resourceStatusLabel = {
  draft: 'oer.statuses.draft',
  submitted: 'oer.statuses.submitted',
  published: 'oer.statuses.published',
  returned: 'oer.statuses.returned',
} as const satisfies Record<string, TKey>;

export const searchSourceLabel = {
  resource: 'oer.search.sources.resource',
  title: 'oer.search.sources.title',
} as const satisfies Record<string, TKey>;

export const courseAudienceLabel = {
  everyone: 'courses.audiences.everyone',
  students: 'courses.audiences.students',
  adults: 'courses.audiences.adults',
  elderly: 'courses.audiences.elderly',
  teachers: 'courses.audiences.teachers',
  workers: 'courses.audiences.workers',
} as const satisfies Record<string, TKey>;

export const courseLevelLabel = {
  beginner: 'courses.levels.beginner',
  intermediate: 'courses.levels.intermediate',
  advanced: 'courses.levels.advanced',
} as const satisfies Record<string, TKey>;

export const questionKindLabel = {
  single: 'courses.kinds.single',
  multiple: 'courses.kinds.multiple',
  true_false: 'courses.kinds.true_false',
  short: 'courses.kinds.short',
  ordering: 'courses.kinds.ordering',
} as const satisfies Record<string, TKey>;

export const courseStatusLabel = {
  draft: 'courses.status.draft',
  published: 'courses.status.published',
} as const satisfies Record<string, TKey>;

export const completionRuleLabel = {
  read: 'courses.rules.read',
  video: 'courses.rules.video',
  quiz: 'courses.rules.quiz',
} as const satisfies Record<string, TKey>;

export const completionRuleLongLabel = {
  read: 'courses.rulesLong.read',
  video: 'courses.rulesLong.video',
  quiz: 'courses.rulesLong.quiz',
} as const satisfies Record<string, TKey>;

export const teacherRoleLabel = {
  owner: 'courses.teacherRoles.owner',
  co_teacher: 'courses.teacherRoles.co_teacher',
} as const satisfies Record<string, TKey>;

export const trueFalseLabel = {
  true: 'courses.quiz.true',
  false: 'courses.quiz.false',
} as const satisfies Record<string, TKey>;

export const certificateStatusLabel = {
  valid: 'courses.verify.status.valid',
  revoked: 'courses.verify.status.revoked',
  unknown: 'courses.verify.status.unknown',
} as const satisfies Record<string, TKey>;

export const reorderAnnouncement = {
  picked: 'courses.edit.reorder.picked',
  moved: 'courses.edit.reorder.moved',
  dropped: 'courses.edit.reorder.dropped',
  cancelled: 'courses.edit.reorder.cancelled',
  saved: 'courses.edit.reorder.saved',
  failed: 'courses.edit.reorder.failed',
} as const satisfies Record<string, TKey>;
