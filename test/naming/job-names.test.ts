import {
  artifactsBucketName,
  eksClusterName,
  emrOnEksJobRoleName,
  emrSecurityConfigurationName,
  emrVirtualClusterName,
  SPARK_JOBS_NAMESPACE,
  sparkClusterSpecParameterName,
  sparkManifestLocation,
  emrClusterName,
  emrOnEksLogUri,
  glueIngestionJobName,
  mskClusterName,
  NameError,
  pipelineName,
  sparkJobRunName,
  sparkScriptLocation,
  sparkStepName,
} from '../../lib/naming';

const scope = { prefix: 'acme', environment: 'prod' };

describe('job names', () => {
  test('composes every processing name from prefix and environment', () => {
    expect(glueIngestionJobName(scope, 'order_items')).toBe('acme-prod-ingest-order_items');
    expect(emrClusterName(scope)).toBe('acme-prod-spark');
    expect(pipelineName(scope, 'sales')).toBe('acme-prod-pipeline-sales');
    expect(sparkStepName(scope, 'sales')).toBe('acme-prod-silver-gold-sales');
    expect(mskClusterName(scope)).toBe('acme-prod-streaming');
  });

  test('the Spark application lives in the artifacts bucket named like every other bucket', () => {
    expect(artifactsBucketName(scope, '333333333333', 'eu-west-1')).toBe('acme-prod-artifacts-333333333333-eu-west-1');
    expect(sparkScriptLocation(scope, '333333333333', 'eu-west-1')).toBe('s3://acme-prod-artifacts-333333333333-eu-west-1/spark/silver_gold.py');
  });

  test('names are deterministic', () => {
    expect(glueIngestionJobName(scope, 'orders')).toBe(glueIngestionJobName({ ...scope }, 'orders'));
  });

  test('fails when a Step Functions state machine name exceeds 80 characters', () => {
    const domain = 'a'.repeat(63);
    expect(() => pipelineName({ prefix: 'acmecorporat', environment: 'production' }, domain)).toThrow(NameError);
    expect(() => pipelineName({ prefix: 'acmecorporat', environment: 'production' }, domain)).toThrow(
      /Step Functions state machine name ".*" is 96 characters; allowed: 1-80/,
    );
  });

  test('names the EMR on EKS job run of the Spark step like its EMR step, within the 64 characters of a job run name', () => {
    expect(sparkJobRunName(scope, 'sales')).toBe(sparkStepName(scope, 'sales'));
    expect(emrOnEksLogUri(scope, '333333333333', 'eu-west-1')).toBe('s3://acme-prod-artifacts-333333333333-eu-west-1/logs/emr-on-eks/');
    const domain = 'a'.repeat(50);
    expect(() => sparkStepName(scope, domain)).not.toThrow();
    expect(() => sparkJobRunName(scope, domain)).toThrow(/EMR on EKS job run name "acme-prod-silver-gold-a+" is 72 characters; allowed: 1-64/);
  });

  test('fails when a pipeline name has characters Step Functions does not allow', () => {
    expect(() => pipelineName(scope, 'sales and marketing')).toThrow('letters, digits, hyphens and underscores');
  });
});

describe('processing and Kubernetes names', () => {
  test('composes the Spark security configuration, EKS cluster, virtual cluster and job role names', () => {
    expect(emrSecurityConfigurationName(scope)).toBe('acme-prod-spark');
    expect(eksClusterName(scope)).toBe('acme-prod-jobs');
    expect(emrVirtualClusterName(scope)).toBe('acme-prod-spark-on-eks');
    expect(emrOnEksJobRoleName(scope)).toBe('acme-prod-spark-on-eks-job');
    expect(SPARK_JOBS_NAMESPACE).toBe('spark-jobs');
    expect(sparkManifestLocation(scope, '333333333333', 'eu-west-1')).toBe('s3://acme-prod-artifacts-333333333333-eu-west-1/spark/manifest.json');
    expect(sparkClusterSpecParameterName(scope)).toBe('/acme/prod/spark/run-job-flow');
  });

  test('fails when the job role name exceeds 64 characters', () => {
    expect(() => emrOnEksJobRoleName({ prefix: 'a'.repeat(40), environment: 'production' })).toThrow(/IAM role name ".*" is 68 characters; allowed: 1-64/);
  });
});
