import { Fn, type IAspect, TerraformResource, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { requireValidTags, type StandardTagsAspectProps, TAG_KEYS } from '../../lib/tagging';
import { DataClassification } from './data-classification';

type Tags = { [key: string]: string };

/** A provider resource with a `tags` argument (azurerm resource groups, accounts, vaults...). */
interface TaggableResource extends TerraformResource {
  tags: Tags;
  readonly tagsInput?: Tags;
}

function isTaggable(node: IConstruct): node is TaggableResource {
  // Generated bindings expose `tagsInput` exactly on resources whose schema has a `tags` argument.
  return node instanceof TerraformResource && 'tagsInput' in node;
}

export type { StandardTagsAspectProps } from '../../lib/tagging';

/**
 * Adds the standard tags to every resource that has a `tags` argument, plus `data-classification`
 * where a construct assigned one with `DataClassification.assign`. Tags set explicitly on a resource
 * win over these, so a construct can refine a tag without the aspect overwriting it.
 */
export class StandardTagsAspect implements IAspect {
  constructor(private readonly props: StandardTagsAspectProps) {
    requireValidTags(props.tags);
  }

  visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    const classification = DataClassification.of(node);
    const defaults: Tags = { ...this.props.tags, ...(classification ? { [TAG_KEYS.dataClassification]: classification } : {}) };
    const explicit = node.tagsInput;
    if (explicit !== undefined && Token.isUnresolved(explicit)) {
      // Tags computed at apply time: let Terraform merge, still with the explicit ones last.
      node.tags = Fn.merge([defaults, explicit]) as unknown as Tags;
    } else {
      node.tags = { ...defaults, ...explicit };
    }
  }
}
