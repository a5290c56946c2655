import { z } from 'zod';

const email = z.string().trim().min(1, 'errors.required').max(254, 'errors.tooLong').email('errors.email');
const newPassword = z.string().min(8, 'errors.passwordTooShort').max(200, 'errors.tooLong');
const thisYear = new Date().getFullYear();
const birthYear = z
  .string()
  .trim()
  .refine((v) => !v || (/^\d{4}$/.test(v) && Number(v) >= 1900 && Number(v) <= thisYear), 'errors.birthYear')
  .transform((v) => (v ? Number(v) : null));

export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'errors.required'),
  redirectTo: z.string().optional(),
});

export const signUpSchema = z
  .object({
    displayName: z.string().trim().min(1, 'errors.required').max(100, 'errors.tooLong'),
    email,
    password: newPassword,
    confirmPassword: z.string(),
    birthYear,
    homeUnitId: z
      .string()
      .trim()
      .transform((v) => v || null),
    locale: z.enum(['vi', 'en']).default('vi'),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'errors.passwordMismatch' });
  });

export const profileSchema = z.object({
  displayName: z.string().trim().min(1, 'errors.required').max(100, 'errors.tooLong'),
  birthYear,
  homeUnitId: z
    .string()
    .trim()
    .transform((v) => v || null),
  locale: z.enum(['vi', 'en'], { message: 'errors.choose' }),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'errors.required'),
    newPassword,
    confirmPassword: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.newPassword !== v.confirmPassword)
      ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'errors.passwordMismatch' });
  });

export const forgotSchema = z.object({ email });

export const resetSchema = z
  .object({ token: z.string().min(1, 'errors.invalid'), password: newPassword, confirmPassword: z.string() })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'errors.passwordMismatch' });
  });
