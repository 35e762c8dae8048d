import type { CfnResource } from 'aws-cdk-lib';

export interface CheckovAcknowledgement {
  /** The checkov check id, e.g. CKV_AWS_18. */
  readonly id: string;
  /** Why the finding does not apply here; it travels with the template for auditors. */
  readonly reason: string;
}

/**
 * Acknowledges a checkov finding on one CloudFormation resource, in the template itself
 * (`Metadata.checkov.skip`, which checkov reads natively), so the reason sits next to the resource.
 */
export function acknowledgeCheckov(resource: CfnResource, ...acknowledgements: CheckovAcknowledgement[]): void {
  const existing = (resource.getMetadata('checkov') as { skip?: Array<{ id: string; comment: string }> } | undefined)?.skip ?? [];
  resource.addMetadata('checkov', { skip: [...existing, ...acknowledgements.map(({ id, reason }) => ({ id, comment: reason }))] });
}
