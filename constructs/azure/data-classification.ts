import type { IConstruct } from 'constructs';
import { CLASSIFICATIONS, type Classification } from '../../lib/definition';

const assigned = new WeakMap<IConstruct, Classification>();

/**
 * The sensitivity of the data held under a construct. A construct that stores data assigns it to
 * itself; the tagging aspect then tags every taggable resource below it with `data-classification`.
 */
export class DataClassification {
  /** Marks `scope` and everything below it as holding data of `classification`. */
  static assign(scope: IConstruct, classification: Classification): void {
    if (!CLASSIFICATIONS.includes(classification)) {
      throw new Error(`dataClassification ("${classification}") must be one of: ${CLASSIFICATIONS.join(', ')}`);
    }
    assigned.set(scope, classification);
  }

  /** The classification assigned to `construct` or its nearest enclosing scope, if any. */
  static of(construct: IConstruct): Classification | undefined {
    const scopes = construct.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const classification = assigned.get(scopes[i]);
      if (classification) return classification;
    }
    return undefined;
  }
}
