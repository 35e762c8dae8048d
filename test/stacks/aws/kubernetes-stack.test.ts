import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import { base36RoleName } from '../../../constructs/aws';
import { KubernetesStack, NetworkStack, StorageStack } from '../../../stacks/aws';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { configWith, environmentOf, exampleConfig, problemsAfter } from '../../fixtures/platform';

const config = exampleConfig();

function kubernetesStack(environment: string, definition = config): KubernetesStack {
  const app = new App({ context: cdkJson.context });
  const env = environmentOf(definition, environment);
  const storage = new StorageStack(app, { config: definition, environment: env });
  const network = new NetworkStack(app, { config: definition, environment: env, encryptionKey: storage.dataLake.key });
  return new KubernetesStack(app, { config: definition, environment: env, encryptionKey: storage.dataLake.key, vpc: network.network.vpc });
}

const prod = Template.fromStack(kubernetesStack('prod'));

describe('KubernetesStack', () => {
  test.each(['staging', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(kubernetesStack(environment))).toMatchSnapshot();
  });

  test('is on by default in staging and production only', () => {
    expect(config.environments.map((env) => [env.name, env.aws?.kubernetes.enabled])).toEqual([
      ['dev', false],
      ['staging', true],
      ['prod', true],
    ]);
  });

  test('fails when the environment does not enable Kubernetes', () => {
    expect(() => kubernetesStack('dev')).toThrow('environment "dev" does not enable Kubernetes; set environments.dev.aws.kubernetes.enabled: true');
  });

  test('a development environment gets one when its definition asks', () => {
    const enabled = configWith((definition) => {
      definition.environments.dev.aws.kubernetes = { enabled: true, version: '1.34' };
    });
    Template.fromStack(kubernetesStack('dev', enabled)).hasResourceProperties('AWS::EKS::Cluster', { Name: 'acme-dev-jobs', Version: '1.34' });
  });

  test('fails validation when the Kubernetes version is not a minor version', () => {
    expect(
      problemsAfter((definition) => {
        definition.environments.prod.aws.kubernetes = { version: 'latest' };
      }),
    ).toEqual([expect.stringMatching(/environments\.prod\.aws\.kubernetes\.version.*a Kubernetes minor version such as 1\.33/)]);
  });

  test('the admin group of the definition administers the cluster through an access entry', () => {
    const withAdmin = configWith((definition) => {
      definition.environments.prod.aws.kubernetes = { adminGroup: 'data-engineering' };
    });
    Template.fromStack(kubernetesStack('prod', withAdmin)).hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::333333333333:role/acme-data-engineering',
      AccessPolicies: [
        {
          PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
          AccessScope: { Type: 'cluster' },
        },
      ],
    });
  });

  test('fails validation when the admin group is not a defined group', () => {
    expect(
      problemsAfter((definition) => {
        definition.environments.prod.aws.kubernetes = { adminGroup: 'data-engineers' };
      }),
    ).toEqual([
      expect.stringMatching(/environments\.prod\.aws\.kubernetes\.adminGroup.*"data-engineers" is not a defined group \(did you mean "data-engineering"\?\)/),
    ]);
  });

  test('the API server is reachable from inside the VPC only, in the isolated subnets', () => {
    prod.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'acme-prod-jobs',
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      AccessConfig: Match.objectLike({ AuthenticationMode: 'API' }),
    });
  });

  test('secrets are envelope-encrypted with the environment key and every control-plane log type is on', () => {
    prod.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: Match.anyValue() }, Resources: ['secrets'] }],
      Logging: {
        ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }, { Type: 'controllerManager' }, { Type: 'scheduler' }] },
      },
    });
  });

  test('nodes come from EKS Auto Mode', () => {
    prod.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: Match.objectLike({ Enabled: true, NodePools: ['system', 'general-purpose'] }) });
  });

  test('the virtual cluster runs Spark jobs in their own namespace', () => {
    prod.hasResourceProperties('AWS::EMRContainers::VirtualCluster', {
      Name: 'acme-prod-spark-on-eks',
      ContainerProvider: { Type: 'EKS', Id: Match.anyValue(), Info: { EksInfo: { Namespace: 'spark-jobs' } } },
    });
    prod.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', { Manifest: Match.stringLikeRegexp('"kind":"Namespace".*"name":"spark-jobs"') });
  });

  test('the job role is trusted by EKS Pod Identity only and bound to the three service accounts EMR creates per run', () => {
    prod.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-prod-spark-on-eks-job',
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' })]),
      },
    });
    const suffix = `333333333333-${base36RoleName('acme-prod-spark-on-eks-job')}`;
    for (const podRole of ['client', 'driver', 'executor']) {
      prod.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        Namespace: 'spark-jobs',
        ServiceAccount: `emr-containers-sa-spark-${podRole}-${suffix}`,
      });
    }
  });

  test('base36RoleName encodes the UTF-8 bytes of the name as one number, as EMR does', () => {
    expect(base36RoleName('a')).toBe((97).toString(36));
    expect(base36RoleName('ab')).toBe((97 * 256 + 98).toString(36));
  });

  test("the job role may assign the catalog's LF-tags to the gold tables it registers itself", () => {
    const grants = Object.values(prod.findResources('AWS::LakeFormation::PrincipalPermissions'))
      .map((grant) => grant.Properties)
      .filter((grant) => grant.Resource.LFTag !== undefined);
    expect(grants.map((grant) => grant.Resource.LFTag.TagKey)).toContain('acme_prod_domain');
    expect(grants.filter((grant) => /^acme_prod_access_/.test(grant.Resource.LFTag.TagKey)).map((grant) => grant.Resource.LFTag.TagValues)).toEqual(
      expect.arrayContaining([['read', 'own']]),
    );
    for (const grant of grants) {
      expect(grant).toMatchObject({ Permissions: ['ASSOCIATE', 'DESCRIBE'], PermissionsWithGrantOption: [] });
      expect(JSON.stringify(grant.Principal)).toMatch(/SparkOnEksJobRole/);
    }
    prod.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Sid: 'TagTablesItRegisters', Resource: '*' })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^SparkOnEksJobRole') }],
    });
  });

  test('no role allows a wildcard action', () => {
    for (const role of Object.values(prod.findResources('AWS::IAM::Role'))) {
      for (const policy of role.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement) for (const action of [statement.Action].flat()) expect(action).not.toBe('*');
      }
    }
    const jobRole = Object.values(prod.findResources('AWS::IAM::Role')).find((role) => role.Properties.RoleName === 'acme-prod-spark-on-eks-job');
    for (const policy of jobRole?.Properties.Policies ?? []) {
      for (const statement of policy.PolicyDocument.Statement) for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
    }
  });
});
