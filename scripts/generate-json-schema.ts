#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { platformDefinitionSchema } from '../lib/config';

/**
 * Writes schema/platform.schema.json from the same zod schema that validates platform.yaml, so editors
 * complete and check the definition exactly as `npm run validate` does (cross-field rules aside).
 *   npm run schema            regenerate
 *   npm run schema -- --check exit 1 when the committed file is out of date (CI)
 */
export const SCHEMA_FILE = 'schema/platform.schema.json';

export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(platformDefinitionSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Cloud Platform Solutions platform definition' }, null, 2)}\n`;
}

function main(): void {
  const rendered = renderJsonSchema();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // A missing file is simply out of date.
    }
    if (committed !== rendered) {
      process.stderr.write(`${SCHEMA_FILE} is out of date with lib/config/schema.ts; run \`npm run schema\` and commit the result.\n`);
      process.exit(1);
    }
    process.stdout.write(`${SCHEMA_FILE} is up to date\n`);
    return;
  }
  writeFileSync(SCHEMA_FILE, rendered);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}

if (require.main === module) main();
