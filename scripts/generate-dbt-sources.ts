/**
 * Writes the dbt sources of every dataset in the platform definition, so that the bronze layer can never
 * disagree with the catalogue, and the grants of every model, so that its access cannot either:
 *
 *   dbt/models/bronze/<domain>/_<domain>__sources.yml   one source per domain, one table per dataset:
 *       columns and descriptions, meta (classification, owners, readers, cdc, format, schedule, origin),
 *       freshness from the schedule, loaded_at_field, and data tests from the keys and quality rules
 *   dbt/seeds/bronze/<domain>/_<domain>__seeds.yml      the landing tables' columns: the dataset's as text
 *       (bad values must survive to be quarantined), the ingestion metadata typed
 *   dbt/macros/access/platform_model_grants.sql         each model's Unity Catalog grants, from the
 *       datasets its sources and refs hold data of (the access plan of lib/access)
 *   dbt/macros/landing/platform_binary_content_type.sql the media type of a file extension, for binary
 *       datasets' manifests (lib/lake/binary-manifest.ts)
 *
 *   npx ts-node --swc scripts/generate-dbt-sources.ts [--check] [--definition platform.yaml]
 *
 * --check writes nothing and exits 1, naming each file, when the committed files differ (CI runs it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadPlatformConfig } from '../lib/config';
import { buildDbtGrantsFile } from '../lib/dbt/grants';
import { modelLineage, readDbtProjectFiles } from '../lib/dbt/lineage';
import { buildDbtBinaryContentTypeMacro } from '../lib/dbt/binary-content-types';
import { buildDbtSourceFiles } from '../lib/dbt/sources';

/** Generated files on disk that the definition no longer produces (a dataset or domain was removed). */
function staleFiles(root: string, expected: Map<string, string>): string[] {
  const stale: string[] = [];
  for (const [folder, pattern] of [
    ['dbt/models/bronze', /^_.+__sources\.yml$/],
    ['dbt/seeds/bronze', /^_.+__seeds\.yml$/],
  ] as const) {
    const base = join(root, folder);
    if (!existsSync(base)) continue;
    for (const domain of readdirSync(base, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const file of readdirSync(join(base, domain.name)).filter((f) => pattern.test(f))) {
        const path = `${folder}/${domain.name}/${file}`;
        if (!expected.has(path)) stale.push(path);
      }
    }
  }
  return stale;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const definitionIndex = argv.indexOf('--definition');
  const root = resolve(__dirname, '..');
  const definition = definitionIndex >= 0 ? resolve(argv[definitionIndex + 1]) : join(root, 'platform.yaml');
  const config = loadPlatformConfig(definition);
  const files = new Map([
    ...buildDbtSourceFiles(config),
    ...buildDbtGrantsFile(config, modelLineage(readDbtProjectFiles(join(root, 'dbt')), config)),
    ...buildDbtBinaryContentTypeMacro(),
  ]);
  const differing: string[] = [];
  for (const [path, contents] of files) {
    const target = join(root, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === contents) continue;
    differing.push(`${path} (${current === undefined ? 'missing' : 'out of date'})`);
    if (!check) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, contents);
    }
  }
  const stale = staleFiles(root, files);
  if (check) {
    if (differing.length === 0 && stale.length === 0) {
      console.log(`dbt sources match ${relative(root, definition)} (${files.size} files).`);
      return 0;
    }
    console.error(`dbt sources differ from ${relative(root, definition)}:`);
    for (const line of [...differing, ...stale.map((path) => `${path} (no longer generated: delete it)`)]) console.error(`  ${line}`);
    console.error('Run `npx ts-node --swc scripts/generate-dbt-sources.ts` and commit the result.');
    return 1;
  }
  console.log(`Wrote ${differing.length} of ${files.size} dbt source files${differing.length ? `:\n  ${differing.join('\n  ')}` : ''}.`);
  if (stale.length > 0) console.warn(`No longer generated, delete: ${stale.join(', ')}`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
