import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { LAYERS, type Layer } from '../../lib/definition';
import { glueDatabaseName, s3BucketName } from '../../lib/naming';
import type { EnvironmentStack } from './environment-stack';

/**
 * The layer buckets of an environment, imported by name (the names are fixed by the definition):
 * policies and table locations then read the same in every template, and no stack needs an export of
 * the storage stack for them.
 */
export function layerBucketsByName(stack: EnvironmentStack, scope: Construct = stack): Record<Layer, IBucket> {
  const { account, region } = stack.aws;
  return Object.fromEntries(
    LAYERS.map((layer) => [
      layer,
      Bucket.fromBucketName(scope, `${layer[0].toUpperCase()}${layer.slice(1)}Bucket`, s3BucketName(stack.naming, layer, account, region)),
    ]),
  ) as Record<Layer, IBucket>;
}

/** Bucket name per layer. */
export function layerBucketNames(stack: EnvironmentStack): Record<Layer, string> {
  return Object.fromEntries(LAYERS.map((layer) => [layer, s3BucketName(stack.naming, layer, stack.aws.account, stack.aws.region)])) as Record<Layer, string>;
}

/** Glue database name per layer. */
export function layerDatabaseNames(stack: EnvironmentStack): Record<Layer, string> {
  return Object.fromEntries(LAYERS.map((layer) => [layer, glueDatabaseName(stack.naming, layer)])) as Record<Layer, string>;
}
