/**
 * The training plan of an ML use case: which gold tables the training job reads, how it joins them, which
 * columns are features (numeric or categorical, from the tables' dbt contracts), the label, the held-out
 * split and the estimator, and where the run and the model go. The Databricks training job reads it as a
 * workspace file (constructs/databricks/ml), and the local test of the job (test/spark/test_model_training.py)
 * reads the same plan for its local catalog (`scripts/ml-training-plan.ts`): one plan, two places.
 */
import type { MlUseCaseConfig } from '../definition';
import type { ContractColumn, GoldContract } from '../warehouse';

/** Version of the plan's JSON shape; the training code refuses another. */
export const ML_TRAINING_PLAN_VERSION = 1;

/** The alias of the best version so far (highest held-out ROC AUC); the serving endpoint serves it. */
export const CHAMPION_ALIAS = 'champion';

/** Contract types the model takes as numbers (booleans as 0/1); `decimal(p,s)` too. */
const NUMERIC_TYPES = ['tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double', 'boolean'];
/** Contract types the model one-hot encodes. */
const CATEGORICAL_TYPES = ['string'];
/** Contract types a binary label may have. */
export const LABEL_TYPES = ['boolean', 'tinyint', 'smallint', 'int', 'integer', 'bigint'];

/** The held-out split and the estimator, the same in every environment (reproducible runs). */
export const ML_TRAINING_DEFAULTS = {
  testFraction: 0.2,
  seed: 42,
  estimator: { kind: 'logistic_regression', regularization: 1.0, maxIterations: 1000 },
} as const;

export interface MlTrainingTable {
  /** Fully qualified name, `<catalog>.<schema>.<table>`. */
  readonly table: string;
  /** The columns the job selects from it: keys first, then its features and the label. */
  readonly columns: readonly string[];
}

/** A column the model does not use, and why. */
export interface MlIgnoredColumn {
  readonly table: string;
  readonly column: string;
  readonly reason: string;
}

export interface MlTrainingPlan {
  readonly version: typeof ML_TRAINING_PLAN_VERSION;
  readonly useCase: string;
  readonly description: string;
  /** The registered model, `<catalog>.<schema>.<use case>`. */
  readonly model: string;
  /** Workspace path of the MLflow experiment the runs go to. */
  readonly experiment: string;
  readonly label: string;
  readonly keys: readonly string[];
  readonly tables: readonly MlTrainingTable[];
  readonly features: { readonly numeric: readonly string[]; readonly categorical: readonly string[] };
  readonly ignored: readonly MlIgnoredColumn[];
  readonly split: { readonly testFraction: number; readonly seed: number };
  readonly estimator: { readonly kind: 'logistic_regression'; readonly regularization: number; readonly maxIterations: number };
  readonly championAlias: string;
}

/** Where one environment's tables, model and experiment are. */
export interface MlTrainingLocation {
  readonly catalog: string;
  /** Schema of the gold feature tables. */
  readonly goldSchema: string;
  /** Schema of the registered models. */
  readonly modelSchema: string;
  readonly experiment: string;
}

type FeatureKind = 'numeric' | 'categorical';

function featureKindOf(column: ContractColumn): FeatureKind | string {
  const type = column.dataType.toLowerCase();
  if (NUMERIC_TYPES.includes(type) || /^decimal\(\d+,\s*\d+\)$/.test(type)) return 'numeric';
  if (CATEGORICAL_TYPES.includes(type)) return 'categorical';
  return `its type ${column.dataType} is neither numeric nor categorical (dates and timestamps say when a row was observed, not what)`;
}

/**
 * The training plan of one use case in one environment, from the gold contracts of its feature tables.
 * Fails, naming the use case and the field, when a table has no contract, a key is missing from a table,
 * the label is missing, ambiguous or not binary, a column other than a key is in two tables, or no feature is left.
 */
export function mlTrainingPlan(useCase: MlUseCaseConfig, contracts: readonly GoldContract[], location: MlTrainingLocation): MlTrainingPlan {
  const at = `mlUseCases "${useCase.name}"`;
  const problems: string[] = [];
  const tables = useCase.featureTables.map((name) => {
    const contract = contracts.find((candidate) => candidate.model === name);
    if (!contract) problems.push(`featureTables: "${name}" has no enforced contract among the gold models (${contracts.map((c) => c.model).join(', ')})`);
    return { name, contract };
  });
  const known = tables.filter((entry): entry is { name: string; contract: GoldContract } => entry.contract !== undefined);
  for (const { name, contract } of known) {
    const columns = contract.columns.map((column) => column.name);
    const missing = useCase.keys.filter((key) => !columns.includes(key));
    if (missing.length > 0) problems.push(`keys: ${missing.map((key) => `"${key}"`).join(', ')} not in ${name} (columns: ${columns.join(', ')})`);
  }
  const labelTables = known.filter(({ contract }) => contract.columns.some((column) => column.name === useCase.label));
  if (known.length === tables.length && labelTables.length !== 1) {
    const columns = [...new Set(known.flatMap(({ contract }) => contract.columns.map((column) => column.name)))].filter((c) => !useCase.keys.includes(c));
    problems.push(
      labelTables.length === 0
        ? `label: "${useCase.label}" is not a column of ${useCase.featureTables.join(', ')}; columns: ${columns.join(', ')}`
        : `label: "${useCase.label}" is a column of ${labelTables.map((entry) => entry.name).join(' and ')}; it must be in exactly one feature table`,
    );
  }
  const labelColumn = labelTables[0]?.contract.columns.find((column) => column.name === useCase.label);
  if (labelColumn && !LABEL_TYPES.includes(labelColumn.dataType.toLowerCase()))
    problems.push(`label: "${useCase.label}" is ${labelColumn.dataType}; a binary label is one of ${LABEL_TYPES.join(', ')}`);

  const features: Record<FeatureKind, string[]> = { numeric: [], categorical: [] };
  const ignored: MlIgnoredColumn[] = [];
  const owner = new Map<string, string>();
  const selected = known.map(({ name, contract }) => {
    const table = `${location.catalog}.${location.goldSchema}.${name}`;
    const columns = [...useCase.keys];
    for (const column of contract.columns) {
      if (useCase.keys.includes(column.name)) continue;
      const first = owner.get(column.name);
      if (first !== undefined) {
        problems.push(`featureTables: column "${column.name}" is in ${first} and ${name}; only keys may be in several feature tables`);
        continue;
      }
      owner.set(column.name, name);
      if (column.name === useCase.label) {
        columns.push(column.name);
        continue;
      }
      const kind = featureKindOf(column);
      if (kind === 'numeric' || kind === 'categorical') {
        features[kind].push(column.name);
        columns.push(column.name);
      } else ignored.push({ table, column: column.name, reason: kind });
    }
    return { table, columns };
  });
  if (known.length === tables.length && features.numeric.length + features.categorical.length === 0)
    problems.push(`featureTables: ${useCase.featureTables.join(', ')} have no numeric or string column besides the keys and the label`);
  if (problems.length > 0) throw new Error(`${at}: ${problems.join('; ')}`);

  return {
    version: ML_TRAINING_PLAN_VERSION,
    useCase: useCase.name,
    description: useCase.description,
    model: `${location.catalog}.${location.modelSchema}.${useCase.name}`,
    experiment: location.experiment,
    label: useCase.label,
    keys: [...useCase.keys],
    tables: selected,
    features,
    ignored,
    split: { testFraction: ML_TRAINING_DEFAULTS.testFraction, seed: ML_TRAINING_DEFAULTS.seed },
    estimator: { ...ML_TRAINING_DEFAULTS.estimator },
    championAlias: CHAMPION_ALIAS,
  };
}
