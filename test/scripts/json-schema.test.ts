import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJsonSchema, SCHEMA_FILE } from '../../scripts/generate-json-schema';

describe('JSON Schema of the definition', () => {
  test('the committed schema is generated from the current zod schema (run `npm run schema`)', () => {
    expect(readFileSync(join(__dirname, '..', '..', SCHEMA_FILE), 'utf8')).toBe(renderJsonSchema());
  });

  test('rejects unknown keys and documents every environment field', () => {
    const schema = JSON.parse(renderJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    const environment = schema.properties.environments.additionalProperties;
    for (const field of ['stage', 'clouds', 'aws', 'azure', 'databricks', 'dataProtection', 'sizing', 'lifecycle']) {
      expect(environment.properties[field]).toHaveProperty('description');
    }
  });
});
