import { s3BucketName, sparkScriptLocation, sparkStepName } from '../naming';
import type { AwsTarget } from '../../ops/aws-target';
import type { SparkStep } from '../../ops/emr-steps';
import type { Pipeline } from './pipelines';

/**
 * The EMR step that rebuilds a pipeline's silver and gold tables from bronze: `spark-submit` of the
 * Spark application in the artifacts bucket, told which environment and domain to build and where
 * each layer lives. Cluster deploy mode keeps the driver off the primary node, so concurrent steps of
 * several pipelines do not compete for its memory.
 */
export function sparkStepFor(target: AwsTarget, pipeline: Pipeline): SparkStep {
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
