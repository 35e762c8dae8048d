// Lint without type information (tsc --noEmit already type-checks once): fast on two cores.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'cdktf.out/', '.venv/', 'dbt/', 'coverage/', '**/*.js', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-new': 'off',
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cdktf/provider-azurerm', message: 'Import the class from its own module (@cdktf/provider-azurerm/lib/<resource>): the package root costs seconds per synth.' },
            { name: '@cdktf/provider-databricks', message: 'Import the class from its own module (@cdktf/provider-databricks/lib/<resource>): the package root costs seconds per synth.' },
          ],
        },
      ],
    },
  },
  {
    // Tests walk synthesized JSON, which has no static type.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
