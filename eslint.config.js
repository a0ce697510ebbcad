// @ts-check
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The folders of src/, lowest first. A folder may import values only from itself and from folders
 * below it, so no two folders can import each other in a circle; type imports may go anywhere.
 * Plumbing (db, http, ops) knows no feature; the root files (app, server, config, env, nav) wire
 * the features together. See README "Where things live".
 */
const LAYERS = ['db', 'http', 'ops', 'auth', 'catalog', 'notifications', 'orders', 'admin', 'demo', 'root'];
const FOLDERS = LAYERS.filter((l) => l !== 'root');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'bench/results/**', 'drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      // tsc (strict, noUnused*) already checks these, with fewer false alarms.
      '@typescript-eslint/no-unused-vars': 'off',
      'no-undef': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'views/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/include': ['src/**/*', 'views/**/*'],
      'boundaries/elements': [
        { type: 'views', pattern: 'views' },
        ...FOLDERS.map((f) => ({ type: f, pattern: `src/${f}` })),
        // Last: what no folder above claimed, the files directly in src/.
        { type: 'root', pattern: 'src' },
      ],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': [
        2,
        {
          default: 'disallow',
          policies: [
            // Type imports may cross any line: they vanish at run time and cannot form a circle of modules.
            { allow: { dependency: { kind: 'type' } } },
            // Views are pure functions of data: values only from views (rules arrive as props).
            { from: { element: { type: 'views' } }, allow: { to: { element: { type: 'views' } } } },
            // Every folder of src/ may render views, and import values from itself and the layers below it.
            ...LAYERS.map((layer, i) => ({
              from: { element: { type: layer } },
              allow: { to: { element: { types: { anyOf: ['views', ...LAYERS.slice(0, i + 1)] } } } },
            })),
          ],
        },
      ],
    },
  },
  {
    // One way to the database (decision 013): postgres.js through `Db`; drizzle only for the schema,
    // the migrator and lucia's adapter.
    files: ['src/**/*.{ts,tsx}', 'views/**/*.{ts,tsx}'],
    ignores: ['src/db/client.ts', 'src/db/schema.ts', 'src/db/migrate.ts', 'src/auth/lucia.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Queries are postgres.js templates through `Db` (decision 013).' }] }],
    },
  },
);
