import { type IAspect, TagManager } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Puts the standard tags on every taggable resource below the scope it is added to. Tags set on a
 * construct itself (a bucket's data-classification, say) win, because these are applied with a low
 * priority.
 */
export class StandardTagsAspect implements IAspect {
  /** Below the default priority (100) of `Tags.of(...).add`, so explicit tags take precedence. */
  static readonly PRIORITY = 50;

  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (!TagManager.isTaggable(node)) return;
    for (const [key, value] of Object.entries(this.tags)) node.tags.setTag(key, value, StandardTagsAspect.PRIORITY);
  }
}
