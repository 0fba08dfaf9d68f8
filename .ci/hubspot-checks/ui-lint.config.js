// The lint HubSpot's 2026.03 UI-extension templates run, over hubspot-project/app only:
// HubSpot's UI-extension rules plus the recommended JS, TypeScript, React and React Hooks rules.
import js from '@eslint/js';
import { config as uiExtensions } from '@hubspot/eslint-config-ui-extensions';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  react.configs.flat.recommended,
  react.configs.flat['jsx-runtime'],
  { settings: { react: { version: '18.3' } } },
  ...uiExtensions,
  reactHooks.configs.flat['recommended-latest'],
);
