// @ts-check
import js from '@eslint/js';
import rxjsX from 'eslint-plugin-rxjs-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'client/dist/**', 'node_modules/**', 'public/vendor/**', 'bench/results/**', 'coverage/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  { files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], ...rxjsX.configs.recommended },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'rxjs-x/no-nested-subscribe': 'error',
      'rxjs-x/no-unsafe-catch': 'error',
      'rxjs-x/no-unsafe-takeuntil': 'error',
    },
  },
  // A subscription the gateway does not keep can never be ended (tests may drop theirs: the test ends them).
  { files: ['src/**/*.ts'], rules: { 'rxjs-x/no-ignored-subscription': 'error' } },
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: false }, globals: { window: 'readonly', document: 'readonly', sessionStorage: 'readonly', WebSocket: 'readonly', fetch: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', location: 'readonly', URL: 'readonly', uPlot: 'readonly', localStorage: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortSignal: 'readonly', URLSearchParams: 'readonly', getComputedStyle: 'readonly', ResizeObserver: 'readonly', matchMedia: 'readonly', Blob: 'readonly', CSS: 'readonly', requestAnimationFrame: 'readonly' } },
  },
  { files: ['eslint.config.js', '.dependency-cruiser.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['examples/**/*.mjs', 'bench/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: false }, globals: { process: 'readonly', console: 'readonly' } },
  },
  { files: ['.dependency-cruiser.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
);
