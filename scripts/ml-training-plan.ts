/**
 * The training plan of an ML use case for a catalog, offline (JSON on stdout):
 *
 *   npx ts-node --swc scripts/ml-training-plan.ts <use case> <catalog> <experiment path> [--definition platform.yaml]
 *
 * The lakehouse stack deploys the same plan, for each environment's catalog, beside the training job; the
 * local test of the job (test/spark/test_model_training.py) asks for it with the local Spark catalog.
 */
import { ConfigError, loadPlatformConfig, runApp } from '../lib/config';
import { ML_SCHEMA } from '../lib/access/unity-catalog-grants';
import { mlTrainingPlan } from '../lib/ml';
import { unityCatalogLayerSchema } from '../lib/naming';
import { readGoldContracts } from '../lib/warehouse';

export const USAGE = 'usage: npx ts-node --swc scripts/ml-training-plan.ts <use case> <catalog> <experiment path> [--definition platform.yaml]';

/** The plan the arguments ask for, as JSON text; undefined when they are not the usage. */
export function mlTrainingPlanOutput(args: readonly string[]): string | undefined {
  const definitionIndex = args.indexOf('--definition');
  const file = definitionIndex >= 0 ? args[definitionIndex + 1] : 'platform.yaml';
  const positional = definitionIndex >= 0 ? [...args.slice(0, definitionIndex), ...args.slice(definitionIndex + 2)] : [...args];
  if (positional.length !== 3 || file === undefined) return undefined;
  const [name, catalog, experiment] = positional;
  const config = loadPlatformConfig(file);
  const useCase = config.mlUseCases.find((candidate) => candidate.name === name);
  if (useCase === undefined) {
    const known = config.mlUseCases.map((candidate) => candidate.name).join(', ') || '(none)';
    throw new ConfigError(file, [{ path: ['mlUseCases'], message: `has no use case "${name}"; use cases: ${known}` }]);
  }
  const plan = mlTrainingPlan(useCase, readGoldContracts(), { catalog, goldSchema: unityCatalogLayerSchema('gold'), modelSchema: ML_SCHEMA, experiment });
  return `${JSON.stringify(plan, null, 2)}\n`;
}

if (require.main === module) {
  void runApp(() => {
    const output = mlTrainingPlanOutput(process.argv.slice(2));
    if (output === undefined) {
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(output);
  });
}
