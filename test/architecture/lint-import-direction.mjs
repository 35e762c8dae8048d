// Lints import statements as if they were written in files of the given folders, with the project's own
// ESLint configuration, and prints the no-restricted-imports messages per case as JSON.
// usage: node test/architecture/lint-import-direction.mjs '<json: [{ "file": "lib/definition/x.ts", "code": "import ..." }]>'
import { join, resolve } from 'node:path';
import process from 'node:process';
import { ESLint } from 'eslint';

const root = resolve(import.meta.dirname, '..', '..');
const cases = JSON.parse(process.argv[2]);
const eslint = new ESLint({ cwd: root });
const results = [];
for (const { file, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  results.push(result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message));
}
process.stdout.write(JSON.stringify(results));
