/** Where in the definition a problem is: keys and list indexes from the root, e.g. `['datasets', 1, 'readers']`. */
export type ConfigPath = readonly (string | number)[];

/** One problem in the definition, at a path. */
export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
}
