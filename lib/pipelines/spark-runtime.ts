import { type EnvironmentConfig, SPARK_RUNTIMES, type SparkRuntime } from '../definition';
import { unknownChoiceMessage } from './pipelines';

/**
 * The Spark runtimes a pipeline of the environment may run its Spark step on: the EMR cluster always;
 * the EMR on EKS virtual cluster where the environment has the Kubernetes stack (`aws.kubernetes.enabled`).
 * The pipeline stacks offer exactly these, and `platform run --on` accepts exactly these.
 */
export function sparkRuntimesOf(environment: Pick<EnvironmentConfig, 'aws'>): SparkRuntime[] {
  return SPARK_RUNTIMES.filter((runtime) => runtime === 'emr' || environment.aws?.kubernetes.enabled === true);
}

/** A Spark runtime that is none, or that the environment does not have; the message says what is allowed. */
export class SparkRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SparkRuntimeError';
  }
}

/**
 * The runtime `value` names, when the environment has it; a SparkRuntimeError naming `field` (e.g.
 * `--on`), the bad value and the runtimes of the environment otherwise.
 */
export function sparkRuntimeFor(environment: Pick<EnvironmentConfig, 'name' | 'aws'>, value: string, field: string): SparkRuntime {
  if (!(SPARK_RUNTIMES as readonly string[]).includes(value)) {
    throw new SparkRuntimeError(`${field}: ${unknownChoiceMessage('Spark runtime', value, SPARK_RUNTIMES)}`);
  }
  const available = sparkRuntimesOf(environment);
  if (!available.includes(value as SparkRuntime)) {
    throw new SparkRuntimeError(
      `${field}: environment "${environment.name}" has no EMR on EKS virtual cluster for the Spark step to run on ` +
        `(environments.${environment.name}.aws.kubernetes.enabled is false); Spark runtimes of ${environment.name}: ${available.join(', ')}`,
    );
  }
  return value as SparkRuntime;
}
