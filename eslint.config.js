import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'coverage/**', 'dist/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@hubspot/api-client', message: 'Only backend/src/hubspot may talk to HubSpot.' }],
        },
      ],
    },
  },
  {
    // Plain-JavaScript Node scripts (CI tools, the Node 22 launcher).
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    // Migrations are written against Kysely<any> and frozen: they must not depend on today's types.
    files: ['migrations/**/*.ts', 'backend/src/platform/db/migrator.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
