/**
 * Which CloudFormation property changes replace a resource, from the CloudFormation resource specification the
 * AWS CDK CLI ships: node_modules/aws-cdk/db.json.gz (the @aws-cdk/aws-service-spec database that `cdk diff`
 * reads for "requires replacement"). Each property says `causesReplacement: 'yes' | 'maybe'` (absent: updated
 * in place); properties of a nested type say it for their own members.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The spec database's shape, as far as this reads it. */
type PropertyType = { type: string; reference?: { $ref: string } };
interface PropertySpec {
  readonly type: PropertyType;
  readonly causesReplacement?: 'yes' | 'maybe';
}
interface Entity {
  readonly $id: string;
  readonly cloudFormationType?: string;
  readonly properties: Record<string, PropertySpec>;
}
interface SpecDatabase {
  readonly schema: { readonly resource: { readonly entities: Entity[] }; readonly typeDefinition: { readonly entities: Entity[] } };
}

/** A property change that replaces the resource: its path (`TableInput.Name`) and whether the spec says always or sometimes. */
export interface ReplacingChange {
  readonly path: string;
  readonly causesReplacement: 'yes' | 'maybe';
}

export const CFN_SPEC_PATH = join(__dirname, '..', 'node_modules', 'aws-cdk', 'db.json.gz');

export class CfnReplacementSpec {
  /** Loads the spec of the CloudFormation CLI's database (about 0.2 s). */
  static load(path = CFN_SPEC_PATH): CfnReplacementSpec {
    const db = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as SpecDatabase;
    return new CfnReplacementSpec(db.schema.resource.entities, db.schema.typeDefinition.entities);
  }

  private readonly resources = new Map<string, Entity>();
  private readonly typeDefinitions = new Map<string, Entity>();

  private constructor(resources: Entity[], typeDefinitions: Entity[]) {
    for (const resource of resources) if (resource.cloudFormationType) this.resources.set(resource.cloudFormationType, resource);
    for (const definition of typeDefinitions) this.typeDefinitions.set(definition.$id, definition);
  }

  /** Whether the spec knows `type` (an unknown type cannot be judged: the gate says so instead of passing it). */
  has(type: string): boolean {
    return this.resources.has(type);
  }

  /**
   * The changed properties between `before` and `after` (a resource's `Properties`) that replace a `type`:
   * a replacing property that differs, or, inside a changed property of a nested type, a replacing member that differs.
   */
  replacingChanges(type: string, before: Record<string, unknown>, after: Record<string, unknown>): ReplacingChange[] {
    const resource = this.resources.get(type);
    return resource ? this.compare(resource, before, after, '') : [];
  }

  private compare(entity: Entity, before: Record<string, unknown>, after: Record<string, unknown>, prefix: string): ReplacingChange[] {
    const changes: ReplacingChange[] = [];
    for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (equalJson(before[name], after[name])) continue;
      const spec = entity.properties[name];
      const path = `${prefix}${name}`;
      if (spec?.causesReplacement) changes.push({ path, causesReplacement: spec.causesReplacement });
      else if (spec?.type.type === 'ref' && spec.type.reference && isObject(before[name]) && isObject(after[name])) {
        const nested = this.typeDefinitions.get(spec.type.reference.$ref);
        if (nested) changes.push(...this.compare(nested, before[name], after[name], `${path}.`));
      }
    }
    return changes;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of two JSON values (member order ignored). */
export function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => equalJson(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && equalJson(a[key], b[key]));
  }
  return false;
}
