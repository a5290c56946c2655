// ESLint flat config: TypeScript, React hooks, accessibility of JSX, sorted imports.
// `npm run lint` runs it; `npm test` runs it first and fails on errors.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/', 'public/build/', 'node_modules/', 'data/', 'tests/.tmp/', '.cache/', 'public/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y, 'simple-import-sort': simpleImportSort },
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // Lesson videos linked by URL may come without a caption track; the OER player adds tracks when they exist.
      'jsx-a11y/media-has-caption': 'warn',
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../db/*', '../../../db/*', '../db/*', '../../../../db/*'], message: 'Import from ~/db/… instead.' }] },
      ],
    },
  },
  {
    // The React hooks rules (their React Compiler analysis was two thirds of the lint's time) where
    // components and hooks live: the app's modules, not its server-only ones, the database or the tests.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*.server.ts', 'app/domain/**'],
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Reading the browser's state (localStorage, media support) after hydration is set in an effect on purpose.
      'react-hooks/set-state-in-effect': 'warn',
    },
  },
  {
    // Kysely's migrations are written against Kysely<any> (the schema they build is not yet the app's).
    files: ['db/migrations/**/*.ts', 'db/dialect.ts', 'db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Landed migrations are frozen byte for byte: not even their imports are re-sorted.
    files: ['db/migrations/2026-11-21T*.ts', 'db/migrations/index.ts'],
    rules: { 'simple-import-sort/imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Forms are parsed with zod (`parseForm(schema, formData)`, app/CONVENTIONS.md §3), never read field by field.
    files: ['app/routes/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.name='String'] > CallExpression[callee.property.name=/^(get|getAll)$/][callee.object.name=/^(form|formData|fd)$/]",
          message: 'Parse the form with a zod schema (app/forms/…) and parseForm(); never String(form.get(…)).',
        },
      ],
    },
  },
  {
    // The domain knows nothing of HTTP.
    files: ['app/domain/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@remix-run/*'], message: 'The domain knows nothing of HTTP: return a Result, let the route answer.' },
            { group: ['../../db/*', '../../../db/*', '../db/*'], message: 'Import from ~/db/… instead.' },
          ],
        },
      ],
    },
  },
);
