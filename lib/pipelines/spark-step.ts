import { s3BucketName, sparkScriptLocation, sparkStepName } from '../naming';
import type { NamingScope } from '../naming';
import type { Pipeline } from './pipelines';

/** An EMR step that runs `spark-submit`. */
export interface SparkStep {
  readonly name: string;
  /** Arguments after `spark-submit`, e.g. the options, the application and its arguments. */
  readonly sparkSubmitArgs: readonly string[];
}

/** Where a pipeline runs: its environment's naming scope, AWS account and region. */
export interface SparkStepTarget {
  readonly scope: NamingScope;
  readonly account: string;
  readonly region: string;
}

/**
 * The EMR step that rebuilds a pipeline's silver and gold tables from bronze: `spark-submit` of the
 * Spark application in the artifacts bucket, told which environment and domain to build and where
 * each layer lives. Cluster deploy mode keeps the driver off the primary node, so concurrent steps of
 * several pipelines do not compete for its memory.
 */
export function sparkStepFor(target: SparkStepTarget, pipeline: Pipeline): SparkStep {
  const { scope, account, region } = target;
  const layer = (name: string) => `s3://${s3BucketName(scope, name, account, region)}/`;
  return {
    name: sparkStepName(scope, pipeline.name),
    sparkSubmitArgs: [
      '--deploy-mode',
      'cluster',
      sparkScriptLocation(scope, account, region),
      '--environment',
      scope.environment,
      '--domain',
      pipeline.name,
      '--bronze',
      layer('bronze'),
      '--silver',
      layer('silver'),
      '--gold',
      layer('gold'),
    ],
  };
}
