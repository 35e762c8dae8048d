/**
 * Naming limits of each kind of resource the platform names, from each cloud's documentation.
 * A composed name that breaks one of these is reported at validation time, before any synth.
 */
export interface NameRule {
  /** What the name is, for messages: "S3 bucket". */
  readonly kind: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern: RegExp;
  /** The characters allowed, in words. */
  readonly allowed: string;
}

export const NAME_RULES = {
  cloudFormationStack: {
    kind: 'CloudFormation stack',
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
    allowed: 'letters, digits and hyphens, starting with a letter',
  },
  terraformStack: {
    kind: 'Terraform stack',
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
    allowed: 'letters, digits and hyphens, starting with a letter (it names the cdktf.out folder and the state key)',
  },
  s3Bucket: {
    kind: 'S3 bucket',
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/,
    allowed: 'lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
  },
  kmsAlias: {
    kind: 'KMS alias',
    minLength: 7,
    maxLength: 256,
    pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/,
    allowed: '"alias/" followed by letters, digits, /, _ and - (not alias/aws/)',
  },
  athenaWorkgroup: {
    kind: 'Athena workgroup',
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z0-9._-]+$/,
    allowed: 'letters, digits, ., _ and -',
  },
  glueDatabase: {
    kind: 'Glue database',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-z0-9_]+$/,
    allowed: 'lowercase letters, digits and underscores',
  },
  azureResourceGroup: {
    kind: 'Azure resource group',
    minLength: 1,
    maxLength: 90,
    pattern: /^[A-Za-z0-9._()-]*[A-Za-z0-9_()-]$/,
    allowed: 'letters, digits, ., _, -, ( and ), not ending with a period',
  },
  azureStorageAccount: {
    kind: 'Azure storage account',
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-z0-9]+$/,
    allowed: 'lowercase letters and digits only',
  },
  adlsFilesystem: {
    kind: 'ADLS Gen2 filesystem',
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/,
    allowed: 'lowercase letters, digits and single hyphens',
  },
  azureResource: {
    kind: 'Azure resource',
    minLength: 1,
    maxLength: 80,
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9_]$/,
    allowed: 'letters, digits, ., _ and -, starting with a letter or digit and not ending with . or -',
  },
  azureKeyVault: {
    kind: 'Azure Key Vault',
    minLength: 3,
    maxLength: 24,
    pattern: /^[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
  },
  logAnalyticsWorkspace: {
    kind: 'Log Analytics workspace',
    minLength: 4,
    maxLength: 63,
    pattern: /^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and hyphens, starting and ending with a letter or digit',
  },
  eventHubsNamespace: {
    kind: 'Event Hubs namespace',
    minLength: 6,
    maxLength: 50,
    pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and hyphens, starting with a letter and ending with a letter or digit',
  },
  eventHub: {
    kind: 'Event hub',
    minLength: 1,
    maxLength: 256,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    allowed: 'letters, digits, ., _ and -, starting and ending with a letter or digit',
  },
  dataFactory: {
    kind: 'Data Factory',
    minLength: 3,
    maxLength: 63,
    pattern: /^[A-Za-z0-9](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: 'letters, digits and single hyphens, starting and ending with a letter or digit',
  },
  sqlServer: {
    kind: 'Azure SQL server',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens, not starting or ending with a hyphen',
  },
  synapseWorkspace: {
    kind: 'Synapse workspace',
    minLength: 1,
    maxLength: 50,
    pattern: /^(?!.*-ondemand)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens, not starting or ending with a hyphen, without "-ondemand"',
  },
  keyVaultSecret: {
    kind: 'Key Vault secret',
    minLength: 1,
    maxLength: 127,
    pattern: /^[A-Za-z0-9-]+$/,
    allowed: 'letters, digits and hyphens',
  },
  unityCatalogIdentifier: {
    kind: 'Unity Catalog identifier',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-z_][a-z0-9_]*$/,
    allowed: 'lowercase letters, digits and underscores, not starting with a digit',
  },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** A composed name breaks its cloud's limits. */
export class NameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NameError';
  }
}

/** Why `name` breaks `rule`, or undefined when it fits. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    return `${rule.kind} name "${name}" is ${name.length} characters; allowed: ${rule.minLength}-${rule.maxLength}`;
  }
  if (!rule.pattern.test(name)) {
    return `${rule.kind} name "${name}" has characters that are not allowed; allowed: ${rule.allowed}`;
  }
  return undefined;
}

/** Returns `name` when it fits `rule`; throws a NameError that says why otherwise. */
export function checkedAgainst(rule: NameRule, name: string): string {
  const problem = nameProblem(name, rule);
  if (problem) throw new NameError(problem);
  return name;
}

/** Returns `name` when it fits the rule of `kind`; throws a NameError that says why otherwise. */
export function checkedName(kind: NameKind, name: string): string {
  const problem = nameProblem(name, NAME_RULES[kind]);
  if (problem) throw new NameError(problem);
  return name;
}
