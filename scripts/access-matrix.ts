/**
 * `npm run access:matrix -- <environment> [--definition platform.yaml]`: the effective access matrix of
 * one environment on each of its clouds, side by side with the definition — dataset by dataset, layer by
 * layer, group by group — built from the synthesized stacks (every AWS stack, every Azure and Databricks
 * stack) and the grant code that runs at deployment (the Spark manifest, the table grants job's plan,
 * the dbt models' committed grants), and on Databricks what each Delta Sharing recipient reads through the
 * shares granted to it (`recipient:<name>` columns, `n/a` on AWS), and on AWS what the gold API's role reads
 * (`api:<role>`, `n/a` on Databricks). Exits 1, listing each difference, when a cloud disagrees with the
 * definition or the committed dbt grants are not current.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { accessMatrixDifferences, formatAccessMatrices } from '../lib/access/access-matrix';
import { loadPlatformConfig } from '../lib/config';
import { buildDbtGrantsFile, DBT_GRANTS_FILE, modelLineage, parseDbtGrantsFile, readDbtProjectFiles } from '../lib/dbt';
import { CLOUD_LABELS, environmentAccess } from './access-matrix/environment-access';

const ROOT = resolve(__dirname, '..');

function main(argv: string[]): number {
  const definitionIndex = argv.indexOf('--definition');
  const definition = definitionIndex >= 0 ? resolve(argv[definitionIndex + 1]) : join(ROOT, 'platform.yaml');
  const environmentName = argv.find((arg, index) => !arg.startsWith('--') && (definitionIndex < 0 || index !== definitionIndex + 1));
  const config = loadPlatformConfig(definition);
  const environment = config.environments.find((env) => env.name === environmentName);
  if (!environment) {
    console.error(`usage: npm run access:matrix -- <environment>; environments: ${config.environments.map((env) => env.name).join(', ')}`);
    return 1;
  }
  const lineage = modelLineage(readDbtProjectFiles(join(ROOT, 'dbt')), config);
  const committed = readFileSync(join(ROOT, DBT_GRANTS_FILE), 'utf8');
  if (committed !== buildDbtGrantsFile(config, lineage).get(DBT_GRANTS_FILE)) {
    console.error(`${DBT_GRANTS_FILE} is not current for ${definition} and the models: run npm run dbt:sources first.`);
    return 1;
  }
  const started = Date.now();
  const access = environmentAccess(config, environment, { dbt: { grants: parseDbtGrantsFile(committed), lineage } });
  const groups = Object.keys(config.groups);
  console.log(`Effective access of ${config.prefix} ${environment.name}, from its synthesized stacks (${((Date.now() - started) / 1000).toFixed(0)} s):`);
  for (const [cloud, source] of Object.entries(access.sources)) console.log(`  ${cloud}: ${source}`);
  const columnClouds = Object.fromEntries([
    ...access.apiPrincipals.map((column) => [column, [CLOUD_LABELS.aws]]),
    ...access.recipients.map((recipient) => [recipient, [CLOUD_LABELS.databricks]]),
  ]);
  const columns = [...groups, ...access.apiPrincipals, ...access.recipients];
  console.log(formatAccessMatrices(access.definition, columns, access.clouds, { columnClouds }));
  const differences = Object.entries(access.clouds).flatMap(([cloud, matrix]) =>
    accessMatrixDifferences(access.expected[cloud], matrix, { expected: 'the definition', actual: cloud }),
  );
  if (differences.length > 0) {
    console.error(`\n${differences.length} difference(s) from the definition:\n  ${differences.join('\n  ')}`);
    return 1;
  }
  console.log(`\nEvery cloud (${Object.keys(access.clouds).join(', ')}) gives exactly the access of the definition.`);
  return 0;
}

if (require.main === module) {
  process.env.CHECKPOINT_DISABLE ??= '1';
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
