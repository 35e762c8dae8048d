import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnRegistry, CfnSchema, CfnSchemaVersion } from 'aws-cdk-lib/aws-glue';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SCHEMA_COMPATIBILITIES, type SchemaCompatibility, type StreamSchemaVersion } from '../../lib/definition';

export interface StreamSchemaRegistryProps {
  /** Registry name (see `glueSchemaRegistryName`). */
  readonly registryName: string;
  /**
   * What the registry holds.
   * @default - "Message schemas of the platform's streams"
   */
  readonly description?: string;
  /**
   * What happens to the registry, and the schemas in it, when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Glue Schema Registry registry for the message schemas of an environment's streams. The schemas
 * themselves (`StreamMessageSchema`) name it, so that they can live in other stacks (one per domain)
 * without a cross-stack reference.
 */
export class StreamSchemaRegistry extends Construct {
  readonly registry: CfnRegistry;
  readonly registryName: string;

  constructor(scope: Construct, id: string, props: StreamSchemaRegistryProps) {
    super(scope, id);
    this.registryName = props.registryName;
    this.registry = new CfnRegistry(this, 'Resource', {
      name: props.registryName,
      description: props.description ?? "Message schemas of the platform's streams",
    });
    this.registry.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
  }
}

export interface StreamMessageSchemaProps {
  /** Name of the registry that holds the schema (see `glueSchemaRegistryName`); deployed before this construct. */
  readonly registryName: string;
  /** Schema name (see `glueSchemaName`: the stream's topic). */
  readonly schemaName: string;
  /**
   * What the schema describes.
   * @default - none
   */
  readonly description?: string;
  /**
   * How Glue checks each new version against the registered ones.
   * @default 'BACKWARD'
   */
  readonly compatibility?: SchemaCompatibility;
  /**
   * The registered versions, oldest first, numbered 1..N (`PlatformConfig.streamSchemas`): the first is
   * the schema's initial version, each later one a version resource of its own.
   */
  readonly versions: readonly StreamSchemaVersion[];
  /**
   * What happens to the schema and its versions when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One stream's Avro message schema in Glue Schema Registry, append-only: version 1 is the schema's
 * initial definition and every later version is its own `AWS::Glue::SchemaVersion`, registered after
 * the one before it (Glue numbers versions in the order they arrive and checks each against those
 * already there). A registered version is never changed in place: CloudFormation replaces a schema
 * or a version whose definition changes, which the stateful-change gate (`npm run diff:safety`)
 * refuses, and a new version is a new resource.
 */
export class StreamMessageSchema extends Construct {
  readonly schema: CfnSchema;
  /** The version resources of versions 2..N, in order. */
  readonly laterVersions: readonly CfnSchemaVersion[];
  readonly registryArn: string;
  readonly schemaArn: string;

  constructor(scope: Construct, id: string, props: StreamMessageSchemaProps) {
    super(scope, id);
    const compatibility = props.compatibility ?? 'BACKWARD';
    validate(props, compatibility);
    const [initial, ...later] = props.versions;
    this.schema = new CfnSchema(this, 'Resource', {
      name: props.schemaName,
      registry: { name: props.registryName },
      dataFormat: 'AVRO',
      compatibility,
      schemaDefinition: initial.definition,
      description: props.description,
    });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.schema.applyRemovalPolicy(removalPolicy);
    let previous: Construct = this.schema;
    this.laterVersions = later.map((version) => {
      // The version number is the construct id: a contract, so a registered version keeps its logical id.
      const resource = new CfnSchemaVersion(this, `Version${version.version}`, {
        schema: { schemaArn: this.schema.attrArn },
        schemaDefinition: version.definition,
      });
      resource.applyRemovalPolicy(removalPolicy);
      resource.node.addDependency(previous);
      previous = resource;
      return resource;
    });
    const stack = Stack.of(this);
    this.registryArn = stack.formatArn({ service: 'glue', resource: 'registry', resourceName: props.registryName });
    this.schemaArn = stack.formatArn({ service: 'glue', resource: 'schema', resourceName: `${props.registryName}/${props.schemaName}` });
  }

  /** What reading a schema's versions takes (Glue authorizes them on the registry and the schema). */
  static readonly READ_ACTIONS = ['glue:GetRegistry', 'glue:GetSchema', 'glue:GetSchemaVersion', 'glue:GetSchemaByDefinition', 'glue:ListSchemaVersions'];

  /** Lets `grantee` read the schema's versions (to decode, or to check what it decodes with is registered), and nothing else. */
  grantRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: StreamMessageSchema.READ_ACTIONS, resourceArns: [this.registryArn, this.schemaArn] });
  }
}

function validate(props: StreamMessageSchemaProps, compatibility: SchemaCompatibility): void {
  const problems: string[] = [];
  if (!(SCHEMA_COMPATIBILITIES as readonly string[]).includes(compatibility)) {
    problems.push(`compatibility ("${compatibility}") must be one of: ${SCHEMA_COMPATIBILITIES.join(', ')}`);
  }
  if (props.versions.length === 0) problems.push('versions is empty; a schema has at least its initial version');
  props.versions.forEach((version, index) => {
    if (version.version !== index + 1) problems.push(`versions[${index}] is version ${version.version}; versions are numbered 1..N in order`);
    try {
      JSON.parse(version.definition);
    } catch {
      problems.push(`versions[${index}] (${version.file}) is not JSON text`);
    }
  });
  if (problems.length > 0) throw new Error(`StreamMessageSchema ${props.schemaName}: ${problems.join('; ')}`);
}
