import { z } from 'zod';

/** A teacher's new classroom shelf: its name and the school unit it belongs to. */
export const shelfCreateSchema = z.object({
  name: z.string().trim().min(1, 'errors.required').max(120, 'library.errors.shelf.name'),
  unit_id: z.string().min(1, 'errors.choose').max(40),
});

/** A student's join form: the code the teacher wrote on the board (spaces and case ignored). */
export const shelfJoinSchema = z.object({
  code: z.string().trim().min(1, 'errors.required').max(20, 'library.errors.shelf.code'),
});

/** Adding or removing one title on a shelf. */
export const shelfTitleSchema = z.object({
  intent: z.enum(['add', 'remove']),
  titleId: z.string().min(1, 'errors.choose').max(40),
});

/** The bookshelves page (`/bookshelves`): a student joins with a code, a teacher creates a shelf. */
export const bookshelvesSchema = z.discriminatedUnion('intent', [
  shelfJoinSchema.extend({ intent: z.literal('join') }),
  shelfCreateSchema.extend({ intent: z.literal('create') }),
]);
export type BookshelvesInput = z.infer<typeof bookshelvesSchema>;
