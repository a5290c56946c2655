import type { TKey } from '~/i18n/keys';

export const honourCategoryLabel = {
  self_learner: 'honours.categories.self_learner',
  learning_family: 'honours.categories.learning_family',
  learning_unit: 'honours.categories.learning_unit',
  collective: 'honours.categories.collective',
} as const satisfies Record<string, TKey>;

export const nominationStatusLabel = {
  draft: 'honours.status.draft',
  submitted: 'honours.status.submitted',
  returned: 'honours.status.returned',
  approved: 'honours.status.approved',
} as const satisfies Record<string, TKey>;

export const decisionLabel = {
  approved: 'honours.page.decision.approved',
  returned: 'honours.page.decision.returned',
} as const satisfies Record<string, TKey>;
