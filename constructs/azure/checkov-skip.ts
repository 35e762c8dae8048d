import type { TerraformResource } from 'cdktf';

/** A checkov check id of the Azure packs, e.g. `CKV_AZURE_33` or `CKV2_AZURE_1`. */
export type CheckovCheckId = `CKV_AZURE_${number}` | `CKV2_AZURE_${number}`;

/** One checkov finding acknowledged on one resource, with the reason it cannot be fixed there. */
export interface CheckovSkip {
  readonly id: CheckovCheckId;
  /** Why the finding does not apply or cannot be fixed yet; it is printed in checkov's report. */
  readonly reason: string;
}

const CHECK_ID = /^CKV2?_AZURE_[0-9]+$/;
const skipsByResource = new WeakMap<TerraformResource, CheckovSkip[]>();

/**
 * Acknowledges checkov findings on one resource, next to it in the synthesized Terraform JSON.
 *
 * Terraform ignores `"//"` comment properties, and checkov's terraform framework reads a
 * `checkov:skip=<id>:<reason>` comment on any line inside a resource's block (it scans the raw lines
 * of `.tf.json` files as it does for `.tf`). cdktf already writes `"//": {"metadata": ...}` on every
 * resource; the skips go into that object, one per line, under `checkov`.
 */
export function skipCheckov(resource: TerraformResource, ...skips: readonly CheckovSkip[]): void {
  for (const skip of skips) {
    if (!CHECK_ID.test(skip.id)) {
      throw new Error(`skipCheckov: id "${skip.id}" is not an Azure checkov check id; expected CKV_AZURE_<n> or CKV2_AZURE_<n>`);
    }
    if (skip.reason.trim().length < 10 || /[\n"]/.test(skip.reason)) {
      throw new Error(`skipCheckov: reason for ${skip.id} ("${skip.reason}") must say why in at least 10 characters, on one line, without double quotes`);
    }
  }
  const all = [...(skipsByResource.get(resource) ?? []), ...skips];
  skipsByResource.set(resource, all);
  resource.addOverride(
    '//.checkov',
    all.map((skip) => `checkov:skip=${skip.id}:${skip.reason}`),
  );
}

/** The checkov findings acknowledged on a resource, for tests and reports. */
export function checkovSkipsOf(resource: TerraformResource): readonly CheckovSkip[] {
  return skipsByResource.get(resource) ?? [];
}
