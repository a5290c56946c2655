import { z } from 'zod';

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'errors.date');

/** A receiving library asks another library for copies of a title for a period. */
export const rotationRequestSchema = z.object({
  holdingId: z.string().min(1, 'errors.choose').max(40),
  toLibraryId: z.string().min(1, 'errors.choose').max(40),
  copies: z.coerce
    .number({ message: 'library.errors.rotationCopies' })
    .int('library.errors.rotationCopies')
    .min(1, 'library.errors.rotationCopies')
    .max(999, 'library.errors.rotationCopies'),
  startsOn: day,
  endsOn: day,
});

/** Accept / decline (lender) or cancel (receiver) one rotation. */
export const rotationDecisionSchema = z.object({
  intent: z.enum(['accept', 'decline', 'cancel']),
  rotationId: z.string().min(1).max(40),
});

/** A library's loan period in days. */
export const loanDaysSchema = z.object({
  libraryId: z.string().min(1).max(40),
  loanDays: z.coerce
    .number({ message: 'library.errors.loanDays' })
    .int('library.errors.loanDays')
    .min(1, 'library.errors.loanDays')
    .max(90, 'library.errors.loanDays'),
});

/** The rotations page (`/library/rotations`): ask for copies, or decide on one rotation. */
export const rotationsPageSchema = z.discriminatedUnion('intent', [
  rotationRequestSchema.extend({ intent: z.literal('request') }),
  rotationDecisionSchema,
]);
export type RotationsPageInput = z.infer<typeof rotationsPageSchema>;
