// Lint without type information (tsc --noEmit already type-checks once): fast on two cores.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Package roots that cost seconds per synth: import each class from its own module instead. */
const PROVIDER_ROOTS = [
  {
    name: '@cdktf/provider-azurerm',
    message: 'Import the class from its own module (@cdktf/provider-azurerm/lib/<resource>): the package root costs seconds per synth.',
  },
  {
    name: '@cdktf/provider-databricks',
    message: 'Import the class from its own module (@cdktf/provider-databricks/lib/<resource>): the package root costs seconds per synth.',
  },
];

/**
 * Import direction, one way from the definition outward (see README, "Layout"): each folder may import
 * only the project folders listed in import-direction.json, besides itself and packages, and its header
 * (README.md or index.ts) says the same. A folder that is not a key (test, scripts, bench) may import
 * anything, and nothing may import it. test/architecture proves that a back edge fails this rule, that
 * the headers match the table and that the tree has no import cycle.
 */
export const IMPORT_DIRECTION = JSON.parse(readFileSync(join(import.meta.dirname, 'import-direction.json'), 'utf8'));
const UNRESTRICTED_FOLDERS = ['test', 'scripts', 'bench'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The no-restricted-imports patterns that refuse, from `folder` (and its subfolders), every project folder it may not import. */
function importDirection(folder) {
  const allowed = IMPORT_DIRECTION[folder];
  const forbidden = [...Object.keys(IMPORT_DIRECTION), ...UNRESTRICTED_FOLDERS].filter((target) => target !== folder && !allowed.includes(target));
  return forbidden.map((target) => {
    const specifiers = [relative(folder, target), relative(`${folder}/sub`, target), relative(`${folder}/sub/sub`, target)].map(escape);
    return {
      regex: `^(${specifiers.join('|')})(/.*)?$`,
      message:
        `${folder} may not import ${target}: imports point one way, from the definition outward (eslint.config.mjs, ` +
        `IMPORT_DIRECTION). ${folder} may import ${allowed.join(', ') || 'no project folder'}.`,
    };
  });
}

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'cdktf.out/', '.venv/', 'dbt/', 'coverage/', '**/*.js', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-new': 'off',
      eqeqeq: ['error', 'always'],
      // Prettier keeps code within 160 characters; this holds strings, comments and regular expressions to it too (npm run format breaks them).
      'max-len': ['error', { code: 160, tabWidth: 2 }],
      'no-restricted-imports': ['error', { paths: PROVIDER_ROOTS }],
    },
  },
  ...Object.keys(IMPORT_DIRECTION).map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { paths: PROVIDER_ROOTS, patterns: importDirection(folder) }] },
  })),
  {
    // Tests walk synthesized JSON, which has no static type.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
