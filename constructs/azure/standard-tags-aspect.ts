import { Fn, type IAspect, TerraformResource, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { TAG_KEYS } from '../../lib/tagging';
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

export interface StandardTagsAspectProps {
  /** Tags every taggable resource carries, usually `standardTags(config, environment)`. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Adds the standard tags to every resource that has a `tags` argument, plus `data-classification`
 * where a construct assigned one with `DataClassification.assign`. Tags set explicitly on a resource
 * win over these, so a construct can refine a tag without the aspect overwriting it.
 */
export class StandardTagsAspect implements IAspect {
  constructor(private readonly props: StandardTagsAspectProps) {
    for (const [key, value] of Object.entries(props.tags)) {
      if (key.trim() === '' || typeof value !== 'string') {
        throw new Error(`tags["${key}"] (${JSON.stringify(value)}) must be a string under a non-empty key`);
      }
    }
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
