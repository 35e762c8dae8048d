import { CfnDataQualityRuleset } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

export interface DatasetQualityRulesetProps {
  /** Ruleset name (see `dataQualityRulesetName`); pipelines evaluate it by this name. */
  readonly rulesetName: string;
  /** The rules in DQDL (see `dqdlFor`). */
  readonly dqdl: string;
  /** Database of the table the rules check. */
  readonly databaseName: string;
  /** The table the rules check. */
  readonly tableName: string;
  /**
   * Description shown in the console.
   * @default - "Quality rules of <database>.<table>"
   */
  readonly description?: string;
}

/** A Glue Data Quality ruleset on one table; pipelines start evaluation runs of it by name. */
export class DatasetQualityRuleset extends Construct {
  readonly ruleset: CfnDataQualityRuleset;

  constructor(scope: Construct, id: string, props: DatasetQualityRulesetProps) {
    super(scope, id);
    if (!/^Rules\s*=\s*\[[\s\S]*\]\s*$/.test(props.dqdl))
      throw new Error(`dqdl must be a DQDL ruleset of the form "Rules = [ ... ]"; got: ${props.dqdl.slice(0, 80)}`);
    this.ruleset = new CfnDataQualityRuleset(this, 'Resource', {
      name: props.rulesetName,
      description: props.description ?? `Quality rules of ${props.databaseName}.${props.tableName}`,
      ruleset: props.dqdl,
      targetTable: { databaseName: props.databaseName, tableName: props.tableName },
    });
  }
}
