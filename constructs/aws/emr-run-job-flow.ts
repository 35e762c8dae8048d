import type { CfnCluster } from 'aws-cdk-lib/aws-emr';

type InstanceGroup = CfnCluster.InstanceGroupConfigProperty;

function instanceGroup(name: string, role: 'MASTER' | 'CORE', group: InstanceGroup | undefined): Record<string, unknown> {
  if (!group) throw new Error(`the cluster has no ${name.toLowerCase()} instance group`);
  const ebs = group.ebsConfiguration as CfnCluster.EbsConfigurationProperty | undefined;
  return {
    Name: name,
    InstanceRole: role,
    InstanceType: group.instanceType,
    InstanceCount: group.instanceCount,
    Market: group.market,
    ...(ebs && {
      EbsConfiguration: {
        EbsOptimized: ebs.ebsOptimized,
        EbsBlockDeviceConfigs: ((ebs.ebsBlockDeviceConfigs ?? []) as CfnCluster.EbsBlockDeviceConfigProperty[]).map((device) => {
          const volume = device.volumeSpecification as CfnCluster.VolumeSpecificationProperty;
          return { VolumeSpecification: { SizeInGB: volume.sizeInGb, VolumeType: volume.volumeType }, VolumesPerInstance: device.volumesPerInstance };
        }),
      },
    }),
  };
}

/**
 * The EMR RunJobFlow request that creates a cluster like `cluster` (an instance-group cluster): the
 * input of the SDK's RunJobFlowCommand and of Step Functions' `elasticmapreduce:createCluster`, in the
 * API's field names. A cluster that terminated itself is brought back from it, with the same name,
 * roles, network, security configuration, scaling and tags, instead of from a second copy of its settings.
 */
export function runJobFlowRequest(cluster: CfnCluster, tags: Readonly<Record<string, string>>): Record<string, unknown> {
  const instances = cluster.instances as CfnCluster.JobFlowInstancesConfigProperty;
  const scaling = cluster.managedScalingPolicy as CfnCluster.ManagedScalingPolicyProperty | undefined;
  const limits = scaling?.computeLimits as CfnCluster.ComputeLimitsProperty | undefined;
  const autoTermination = cluster.autoTerminationPolicy as CfnCluster.AutoTerminationPolicyProperty | undefined;
  return {
    Name: cluster.name,
    ReleaseLabel: cluster.releaseLabel,
    Applications: ((cluster.applications ?? []) as CfnCluster.ApplicationProperty[]).map((application) => ({ Name: application.name })),
    ServiceRole: cluster.serviceRole,
    JobFlowRole: cluster.jobFlowRole,
    SecurityConfiguration: cluster.securityConfiguration,
    LogUri: cluster.logUri,
    LogEncryptionKmsKeyId: cluster.logEncryptionKmsKeyId,
    StepConcurrencyLevel: cluster.stepConcurrencyLevel,
    EbsRootVolumeSize: cluster.ebsRootVolumeSize,
    VisibleToAllUsers: true,
    Instances: {
      Ec2SubnetId: instances.ec2SubnetId,
      EmrManagedMasterSecurityGroup: instances.emrManagedMasterSecurityGroup,
      EmrManagedSlaveSecurityGroup: instances.emrManagedSlaveSecurityGroup,
      ServiceAccessSecurityGroup: instances.serviceAccessSecurityGroup,
      KeepJobFlowAliveWhenNoSteps: instances.keepJobFlowAliveWhenNoSteps,
      TerminationProtected: instances.terminationProtected,
      InstanceGroups: [
        instanceGroup('Primary', 'MASTER', instances.masterInstanceGroup as InstanceGroup | undefined),
        instanceGroup('Core', 'CORE', instances.coreInstanceGroup as InstanceGroup | undefined),
      ],
    },
    ...(limits && {
      ManagedScalingPolicy: {
        ComputeLimits: {
          UnitType: limits.unitType,
          MinimumCapacityUnits: limits.minimumCapacityUnits,
          MaximumCapacityUnits: limits.maximumCapacityUnits,
          MaximumCoreCapacityUnits: limits.maximumCoreCapacityUnits,
          MaximumOnDemandCapacityUnits: limits.maximumOnDemandCapacityUnits,
        },
      },
    }),
    ...(autoTermination && { AutoTerminationPolicy: { IdleTimeout: autoTermination.idleTimeout } }),
    Configurations: ((cluster.configurations ?? []) as CfnCluster.ConfigurationProperty[]).map((configuration) => ({
      Classification: configuration.classification,
      Properties: configuration.configurationProperties,
    })),
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  };
}
