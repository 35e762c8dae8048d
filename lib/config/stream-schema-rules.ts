import { AZURE_SCHEMA_COMPATIBILITIES, isStream, type SchemaCompatibility } from '../definition';
import { DEFAULT_SCHEMA_COMPATIBILITY } from './defaults';
import type { ConfigIssue } from './issue';
import type { PlatformDefinition } from './schema';

/**
 * What the schema registries can hold of the streams' compatibility modes. Glue Schema Registry takes
 * every mode of the vocabulary; an Event Hubs schema group offers None, Backward and Forward only, and
 * holds one mode for all its schemas (one group per domain), so in a definition with an Azure
 * environment each stream's mode must be one of those and the streams of a domain must agree.
 */
export function streamSchemaIssues(definition: PlatformDefinition): ConfigIssue[] {
  const azure = Object.entries(definition.environments)
    .filter(([, env]) => env.clouds.includes('azure'))
    .map(([name]) => name);
  if (azure.length === 0) return [];
  const issues: ConfigIssue[] = [];
  const firstOfDomain = new Map<string, { name: string; mode: SchemaCompatibility }>();
  definition.datasets.forEach((dataset, index) => {
    if (!isStream(dataset) || dataset.source.kind !== 'stream') return;
    const mode = dataset.source.compatibility ?? DEFAULT_SCHEMA_COMPATIBILITY;
    const path = ['datasets', index, 'source', 'compatibility'];
    if (!(AZURE_SCHEMA_COMPATIBILITIES as readonly string[]).includes(mode)) {
      issues.push({
        path,
        message:
          `"${mode}" is not offered by Event Hubs schema groups (dataset "${dataset.name}", Azure environments: ${azure.join(', ')}); ` +
          `allowed there: ${AZURE_SCHEMA_COMPATIBILITIES.join(', ')}`,
      });
      return;
    }
    const first = firstOfDomain.get(dataset.domain);
    if (!first) firstOfDomain.set(dataset.domain, { name: dataset.name, mode });
    else if (first.mode !== mode) {
      issues.push({
        path,
        message:
          `"${mode}" differs from "${first.mode}" of dataset "${first.name}" in domain "${dataset.domain}" (dataset "${dataset.name}"); ` +
          `on Azure a domain's streams share one Event Hubs schema group and its one compatibility mode`,
      });
    }
  });
  return issues;
}
