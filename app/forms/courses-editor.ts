import { z } from 'zod';

import { coTeacherSchema, courseSchema, moduleSchema, reorderSchema } from './courses-course';
import { newLessonSchema } from './courses-lesson';

const id = z.string().trim().min(1, 'errors.invalid').max(40, 'errors.invalid');

/** Every button of the course editor's page (`/courses/<slug>/edit`): one intent and what it acts on. */
export const courseEditorSchema = z.discriminatedUnion('intent', [
  courseSchema.safeExtend({ intent: z.literal('details') }),
  z.object({ intent: z.enum(['publish', 'unpublish']) }),
  moduleSchema.extend({ intent: z.literal('add-module') }),
  moduleSchema.extend({ intent: z.literal('rename-module'), moduleId: id }),
  z.object({ intent: z.enum(['delete-module', 'module-up', 'module-down']), moduleId: id }),
  reorderSchema.extend({ intent: z.enum(['reorder-modules', 'reorder-lessons']) }),
  newLessonSchema.extend({ intent: z.literal('add-lesson') }),
  z.object({ intent: z.enum(['delete-lesson', 'lesson-up', 'lesson-down']), lessonId: id }),
  coTeacherSchema.extend({ intent: z.literal('add-teacher') }),
  z.object({ intent: z.literal('remove-teacher'), userId: id }),
]);
export type CourseEditorInput = z.infer<typeof courseEditorSchema>;
