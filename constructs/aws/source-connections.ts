import { Stack } from 'aws-cdk-lib';
import { type ISubnet, type IVpc, SecurityGroup, Port } from 'aws-cdk-lib/aws-ec2';
import { CfnConnection } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

/** One source database, known by the secret that holds its connection. */
export interface SourceConnection {
  /** Name of the Glue connection (see `glueConnectionName`). */
  readonly connectionName: string;
  /**
   * Name of the Secrets Manager secret with the connection: keys `username`, `password` and `jdbcUrl`.
   * Referenced by name; its value is never in code or in the template.
   */
  readonly secretName: string;
  /** Engine, for the description. */
  readonly engine: string;
}

export interface SourceConnectionsProps {
  /** The environment's VPC. */
  readonly vpc: IVpc;
  /** The private subnet the jobs' network interfaces go to (Glue connections take one). */
  readonly subnet: ISubnet;
  /** The source databases, one connection each. */
  readonly connections: readonly SourceConnection[];
}

/**
 * Glue JDBC connections to the source databases, in the environment's isolated subnets: one per
 * distinct secret, TLS enforced, credentials and URL read from Secrets Manager by name when the
 * connection is used (the URL through a CloudFormation dynamic reference that resolves at deploy
 * time and never lands in the template). Jobs' network interfaces share one security group that
 * allows traffic among themselves, as Glue requires.
 */
export class SourceConnections extends Construct {
  readonly securityGroup: SecurityGroup;
  private readonly byName = new Map<string, CfnConnection>();

  constructor(scope: Construct, id: string, props: SourceConnectionsProps) {
    super(scope, id);
    const names = props.connections.map((c) => c.connectionName);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new Error(`connections: "${duplicate}" is listed more than once; give each secret one connection`);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Glue jobs that reach source databases over JDBC',
      allowAllOutbound: true,
    });
    this.securityGroup.addIngressRule(this.securityGroup, Port.allTcp(), 'Glue workers talk to each other (required by Glue)');
    const catalogId = Stack.of(this).account;
    for (const connection of props.connections) {
      const resource = new CfnConnection(this, connection.connectionName, {
        catalogId,
        connectionInput: {
          name: connection.connectionName,
          description: `JDBC connection to a ${connection.engine} source; credentials in secret ${connection.secretName}`,
          connectionType: 'JDBC',
          connectionProperties: {
            JDBC_CONNECTION_URL: `{{resolve:secretsmanager:${connection.secretName}:SecretString:jdbcUrl}}`,
            SECRET_ID: connection.secretName,
            JDBC_ENFORCE_SSL: 'true',
          },
          physicalConnectionRequirements: {
            subnetId: props.subnet.subnetId,
            availabilityZone: props.subnet.availabilityZone,
            securityGroupIdList: [this.securityGroup.securityGroupId],
          },
        },
      });
      this.byName.set(connection.connectionName, resource);
    }
  }

  /** The connection of a name, when there is one. */
  connection(connectionName: string): CfnConnection | undefined {
    return this.byName.get(connectionName);
  }
}
