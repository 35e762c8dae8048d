import { type IAspect, TagManager } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { requireValidTags, type StandardTagsAspectProps } from '../../lib/tagging';

export type { StandardTagsAspectProps } from '../../lib/tagging';

/**
 * Puts the standard tags on every taggable resource below the scope it is added to (the AWS side of the
 * one tagging rule; constructs/azure has the Terraform side, with the same props). Tags set on a
 * construct itself (a bucket's data-classification, say) win, because these are applied with a low
 * priority.
 */
export class StandardTagsAspect implements IAspect {
  /** Below the default priority (100) of `Tags.of(...).add`, so explicit tags take precedence. */
  static readonly PRIORITY = 50;

  constructor(private readonly props: StandardTagsAspectProps) {
    requireValidTags(props.tags);
  }

  visit(node: IConstruct): void {
    if (!TagManager.isTaggable(node)) return;
    for (const [key, value] of Object.entries(this.props.tags)) node.tags.setTag(key, value, StandardTagsAspect.PRIORITY);
  }
}
