import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * The AWS regions a definition may name: those aws-cdk-lib's region facts know (`RegionInfo.regions`),
 * so the list moves with the CDK that deploys (a region the CDK does not know cannot be synthesized
 * correctly either). `aws-cdk-lib/region-info` loads a handful of modules, not the library.
 */
export const AWS_REGIONS = RegionInfo.regions.map((region) => region.name) as unknown as readonly [string, ...string[]];

/** The partition a region belongs to (`aws`, `aws-cn`, `aws-us-gov`, …): the second field of its ARNs. */
export function awsPartition(region: string): string {
  const partition = RegionInfo.get(region).partition;
  if (partition === undefined) throw new Error(`"${region}" is not an AWS region known to aws-cdk-lib's region facts`);
  return partition;
}

/** The regions of one partition, e.g. every region whose ARNs start `arn:aws-cn:`. */
export function awsRegionsOf(partition: string): string[] {
  return AWS_REGIONS.filter((region) => awsPartition(region) === partition);
}
