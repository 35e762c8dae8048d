import { join } from 'node:path';
import { Job } from '@cdktf/provider-databricks/lib/job';
import { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
import { Construct } from 'constructs';
import type { MlTrainingPlan } from '../../lib/ml';
import { quartzCronExpression } from '../../lib/schedules/quartz-cron';
import { type FailureNotificationProps, grantGroups, type WorkspaceScopedProps } from './workspace-scoped';

/** The training code: train_model.py (the task's entry point) and model_training.py (its core). */
export const ML_TRAINING_SOURCE_DIRECTORY = join(__dirname, 'ml');

/**
 * What the job installs on its cluster: the pins of requirements.txt, with which the local test trains
 * (a test holds them equal). The runtime brings PySpark, pandas and numpy.
 */
export const ML_TRAINING_PACKAGES = ['mlflow-skinny==3.18.0', 'scikit-learn==1.9.1', 'skops==0.16.0'] as const;

/** The job's task key. */
export const ML_TRAINING_TASK = 'train';

export interface MlTrainingJobProps extends WorkspaceScopedProps, FailureNotificationProps {
  /** Job name (see `mlTrainingJobName`). */
  readonly name: string;
  /** The use case's training plan (see `mlTrainingPlan`); this construct writes it as a workspace file. */
  readonly plan: MlTrainingPlan;
  /** Workspace path of `train_model.py` (deployed with `ML_TRAINING_SOURCE_DIRECTORY`). */
  readonly sourcePath: string;
  /** Workspace path of the plan file, e.g. `/Shared/acme-dev/ml-training/customer_churn.json`. */
  readonly planPath: string;
  /** Id of the job cluster policy the training runs under. */
  readonly clusterPolicyId: string;
  /**
   * When it runs: a five-field cron expression (UTC).
   * @default - no schedule: it runs when an owner starts it
   */
  readonly schedule?: string;
  /**
   * Databricks groups that may run and watch the job (`CAN_MANAGE_RUN`): the use case's owners.
   * @default - none beyond the workspace admins
   */
  readonly runners?: readonly string[];
  /**
   * Whether the schedule starts paused.
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Longest a run may take before it is cancelled, in seconds.
   * @default 7200 (two hours)
   */
  readonly timeoutSeconds?: number;
}

/**
 * The training job of an ML use case: `train_model.py` over the use case's plan, on a single-worker job
 * cluster of the job policy (the training itself is scikit-learn on the driver; Spark reads the gold
 * feature tables from Unity Catalog). Each run logs its parameters, held-out metrics and the fitted
 * pipeline to the use case's MLflow experiment, registers a new version of its Unity Catalog model
 * (`databricks-uc`) and moves the champion alias to it when it scores best. It runs as its owner (the
 * deploying principal, who owns the registered model and may add versions to it). No retries: a rerun
 * of a failed run would register a second version. One run at a time; runs asked for meanwhile wait.
 */
export class MlTrainingJob extends Construct {
  readonly job: Job;
  readonly planFile: WorkspaceFile;

  constructor(scope: Construct, id: string, props: MlTrainingJobProps) {
    super(scope, id);
    const timeoutSeconds = props.timeoutSeconds ?? 7200;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 300)
      throw new Error(`MlTrainingJob ${props.name}: timeoutSeconds (${timeoutSeconds}) must be a whole number of at least 300`);
    const quartz = props.schedule === undefined ? undefined : quartzCronExpression(props.schedule);
    this.planFile = new WorkspaceFile(this, 'Plan', {
      provider: props.provider,
      path: props.planPath,
      contentBase64: Buffer.from(`${JSON.stringify(props.plan, null, 2)}\n`).toString('base64'),
    });
    const emails = props.failureEmails ?? [];
    this.job = new Job(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      description: `Trains ${props.plan.model} on ${props.plan.tables.map((table) => table.table).join(', ')}: ${props.plan.description}`,
      maxConcurrentRuns: 1,
      queue: { enabled: true },
      timeoutSeconds,
      schedule: quartz ? { quartzCronExpression: quartz, timezoneId: 'UTC', pauseStatus: props.paused ? 'PAUSED' : 'UNPAUSED' } : undefined,
      jobCluster: [
        {
          jobClusterKey: 'training',
          newCluster: { policyId: props.clusterPolicyId, applyPolicyDefaultValues: true, autoscale: { minWorkers: 1, maxWorkers: 1 } },
        },
      ],
      task: [
        {
          taskKey: ML_TRAINING_TASK,
          jobClusterKey: 'training',
          maxRetries: 0,
          library: ML_TRAINING_PACKAGES.map((pkg) => ({ pypi: { package: pkg } })),
          sparkPythonTask: {
            pythonFile: props.sourcePath,
            source: 'WORKSPACE',
            parameters: ['--plan', `/Workspace${props.planPath}`, '--tracking-uri', 'databricks', '--registry-uri', 'databricks-uc'],
          },
        },
      ],
      emailNotifications: emails.length > 0 ? { onFailure: [...emails], noAlertForSkippedRuns: true } : undefined,
      tags: { component: 'ml', use_case: props.plan.useCase },
      dependsOn: [this.planFile],
    });
    grantGroups(this, 'Permissions', props.provider, { jobId: this.job.id }, props.runners ?? [], 'CAN_MANAGE_RUN');
  }
}
