import { Stack } from 'aws-cdk-lib';
import { type IRole, ManagedPolicy, PolicyDocument, type PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct, DependencyGroup, type IDependable } from 'constructs';
import { IAM_MANAGED_POLICIES_PER_ROLE } from '../../lib/limits/stack-footprint';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';

/** Characters IAM allows in one customer managed policy (whitespace aside; not adjustable). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6_144;

/** Customer managed policies IAM attaches to one role by default (adjustable to 20): lib/limits counts them in stack estimates. */
export const MANAGED_POLICIES_PER_ROLE = IAM_MANAGED_POLICIES_PER_ROLE;

/** Grants of one kind on many items (one per dataset, source, topic ...): `statement` renders any subset of the items. */
export interface PackedGrant<T> {
  /** The items, in a stable order (the definition's), so that a policy changes only where the items do. */
  readonly items: readonly T[];
  /** One statement granting the same actions on `items` (a non-empty subset of the grant's items). */
  statement(items: readonly T[]): PolicyStatement;
}

export interface PackedManagedPoliciesProps {
  /** The role the policies are attached to. */
  readonly role: IRole;
  /** The grants; a grant without items adds nothing. */
  readonly grants: ReadonlyArray<PackedGrant<unknown>>;
  /** Why each wildcard resource of the statements is as narrow as it can be (see `acknowledgeIamWildcards`). @default - no wildcard is acknowledged */
  readonly wildcardReason?: (finding: string) => string | undefined;
  /**
   * Most managed policies the role may get from this construct: what is left of IAM's per-role quota
   * once the role's other managed policies are counted.
   * @default MANAGED_POLICIES_PER_ROLE
   */
  readonly maxPolicies?: number;
}

/**
 * Grants whose size grows with the catalogue (one resource per dataset, source or topic), packed into as
 * few customer managed policies as IAM's size limit allows and attached to one role, so that the role's
 * inline policy stays the same size however many datasets it serves. The size of each policy is estimated
 * as deployed, with every reference at its longest (partition `aws-us-gov`, the longest region, a 12-digit
 * account, 128 characters for a name or ARN from another resource). Synthesis fails, naming the role and
 * the count, when the policies would pass IAM's quota of managed policies per role.
 */
export class PackedManagedPolicies extends Construct {
  readonly policies: readonly ManagedPolicy[];
  /** Every policy, for resources that must wait until the role holds its permissions. */
  readonly dependable: IDependable;

  constructor(scope: Construct, id: string, props: PackedManagedPoliciesProps) {
    super(scope, id);
    const maxPolicies = props.maxPolicies ?? MANAGED_POLICIES_PER_ROLE;
    const stack = Stack.of(this);
    const documents: PolicyStatement[][] = [];
    let current: PolicyStatement[] = [];
    const size = (statements: PolicyStatement[]) => deployedLengthUpperBound(stack.resolve(new PolicyDocument({ statements }).toJSON()));
    for (const grant of props.grants) {
      let items: unknown[] = [];
      for (const item of grant.items) {
        const candidate = [...current, grant.statement([...items, item])];
        if (size(candidate) <= MANAGED_POLICY_MAX_CHARACTERS) {
          items.push(item);
          continue;
        }
        if (items.length > 0) current.push(grant.statement(items));
        if (current.length === 0) throw new Error(`${this.node.path}: one statement for a single item passes ${MANAGED_POLICY_MAX_CHARACTERS} characters`);
        documents.push(current);
        current = [];
        items = [item];
        if (size([grant.statement(items)]) > MANAGED_POLICY_MAX_CHARACTERS)
          throw new Error(`${this.node.path}: one statement for a single item passes ${MANAGED_POLICY_MAX_CHARACTERS} characters`);
      }
      if (items.length > 0) current.push(grant.statement(items));
    }
    if (current.length > 0) documents.push(current);
    if (documents.length > maxPolicies)
      throw new Error(
        `${this.node.path}: the grants need ${documents.length} managed policies of ${MANAGED_POLICY_MAX_CHARACTERS} characters, and the role ` +
          `may get at most ${maxPolicies} (IAM's quota of managed policies per role is 10 by default, 20 at most); ` +
          'raise the quota or split the domain',
      );
    this.policies = documents.map((statements, index) => {
      const policy = new ManagedPolicy(this, `Policy${index + 1}`, {
        // No count in the description: a description change replaces the policy, a new part should not.
        description: `Grants of ${this.node.path} that grow with the catalogue, part ${index + 1}`,
        document: new PolicyDocument({ statements }),
        roles: [props.role],
      });
      if (props.wildcardReason) acknowledgeIamWildcards(policy, [policy.document], props.wildcardReason);
      return policy;
    });
    const group = new DependencyGroup();
    for (const policy of this.policies) group.add(policy);
    this.dependable = group;
  }
}

/** The longest a value of a CloudFormation reference can be once deployed (the longest partition, region and account; 128 for anything else). */
const PSEUDO_PARAMETER_LENGTHS: Record<string, number> = {
  'AWS::Partition': 'aws-us-gov'.length,
  'AWS::Region': 'ap-southeast-5'.length,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 'amazonaws.com.cn'.length,
};
const OTHER_REFERENCE_LENGTH = 128;

function stringLengthUpperBound(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') return PSEUDO_PARAMETER_LENGTHS[node.Ref] ?? OTHER_REFERENCE_LENGTH;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.reduce<number>((sum, part) => sum + stringLengthUpperBound(part), delimiter.length * Math.max(0, parts.length - 1));
    }
    if (typeof node['Fn::Sub'] === 'string')
      return (node['Fn::Sub'] as string).replace(/\$\{([^}]*)\}/g, (_, name: string) => 'x'.repeat(PSEUDO_PARAMETER_LENGTHS[name] ?? OTHER_REFERENCE_LENGTH))
        .length;
  }
  return OTHER_REFERENCE_LENGTH;
}

/** Characters of a resolved policy document as minified JSON once deployed, every reference at its longest. */
export function deployedLengthUpperBound(value: unknown): number {
  if (Array.isArray(value)) return 2 + value.reduce<number>((sum, item) => sum + deployedLengthUpperBound(item), Math.max(0, value.length - 1));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return 2 + stringLengthUpperBound(value);
    const entries = Object.entries(value as Record<string, unknown>);
    return 2 + entries.reduce((sum, [key, item]) => sum + JSON.stringify(key).length + 1 + deployedLengthUpperBound(item), Math.max(0, entries.length - 1));
  }
  return JSON.stringify(value ?? null).length;
}
