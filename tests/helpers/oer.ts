/** Open educational resources for tests: a resource's fields. */
import type { ResourceInput } from '~/domain/oer/resources.server';

/** The fields of an article of the unit (self-learning, for adults, CC BY), with `over` in place of the defaults. */
export function resourceInput(unitId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return {
    unitId,
    kind: 'article',
    title: 'Con đường tự học',
    summary: 'Tóm tắt',
    authors: 'Nguyễn Thu Hà',
    subject: 'self-learning',
    level: 'adult',
    language: 'vi',
    licence: 'cc-by',
    rightsHolder: null,
    years: [2023],
    durationSeconds: null,
    pageCount: null,
    bodyMd: 'Tự học mỗi ngày.',
    hlsUrl: null,
    externalUrl: null,
    chapters: '',
    ...over,
  };
}
