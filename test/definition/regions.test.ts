import { AWS_REGIONS, awsPartition, awsRegionsOf } from '../../lib/definition/aws-regions';
import { AZURE_LOCATIONS } from '../../lib/definition/azure-locations';

describe('AWS regions', () => {
  test('are the regions of aws-cdk-lib region facts, with the example region among them', () => {
    expect(AWS_REGIONS).toContain('eu-west-1');
    expect(AWS_REGIONS).toEqual(expect.arrayContaining(['us-east-1', 'cn-north-1', 'us-gov-west-1']));
  });

  test.each([
    ['eu-west-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('%s is in partition %s', (region, partition) => {
    expect(awsPartition(region)).toBe(partition);
  });

  test('lists the regions of one partition', () => {
    expect(awsRegionsOf('aws-cn')).toEqual(['cn-north-1', 'cn-northwest-1']);
    expect(awsRegionsOf('aws')).not.toContain('us-gov-west-1');
  });

  test('fails when a region is unknown', () => {
    expect(() => awsPartition('eu-west-9')).toThrow('"eu-west-9" is not an AWS region known to aws-cdk-lib\'s region facts');
  });
});

describe('Azure locations', () => {
  test('are unique lowercase API names, the example locations among them', () => {
    expect(new Set(AZURE_LOCATIONS).size).toBe(AZURE_LOCATIONS.length);
    expect(AZURE_LOCATIONS.filter((location) => !/^[a-z]+[0-9]?$/.test(location))).toEqual([]);
    expect(AZURE_LOCATIONS).toEqual(expect.arrayContaining(['westeurope', 'northeurope', 'eastus2', 'germanywestcentral', 'swedencentral']));
  });
});
