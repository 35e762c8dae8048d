import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
import { Construct } from 'constructs';
import type { WorkspaceScopedProps } from './workspace-scoped';

/** The job code this folder ships: the Delta Live Tables sources. */
export const PIPELINE_SOURCE_DIRECTORY = join(__dirname, 'pipelines');

export interface WorkspaceSourceFilesProps extends WorkspaceScopedProps {
  /** Workspace folder the files go to, e.g. `/Shared/acme-dev/pipelines`. */
  readonly workspaceFolder: string;
  /**
   * Local directory whose `.py` files are deployed.
   * @default PIPELINE_SOURCE_DIRECTORY
   */
  readonly sourceDirectory?: string;
}

/**
 * The repository's pipeline code as workspace files. The content is embedded (base64) in the Terraform
 * JSON, so a plan shows exactly which code a deployment ships and needs no path on the deploying machine;
 * a changed file is a changed resource.
 */
export class WorkspaceSourceFiles extends Construct {
  private readonly files = new Map<string, WorkspaceFile>();
  /** The workspace folder the files are in. */
  readonly folder: string;

  constructor(scope: Construct, id: string, props: WorkspaceSourceFilesProps) {
    super(scope, id);
    const directory = props.sourceDirectory ?? PIPELINE_SOURCE_DIRECTORY;
    this.folder = props.workspaceFolder;
    const names = readdirSync(directory)
      .filter((name) => name.endsWith('.py'))
      .sort();
    if (names.length === 0) throw new Error(`WorkspaceSourceFiles: ${directory} holds no .py file to deploy`);
    for (const name of names) {
      this.files.set(
        name,
        new WorkspaceFile(this, name.replace(/\.py$/, ''), {
          provider: props.provider,
          path: `${props.workspaceFolder}/${name}`,
          contentBase64: readFileSync(join(directory, name)).toString('base64'),
        }),
      );
    }
  }

  /** The workspace path of a deployed file. */
  pathOf(name: string): string {
    const file = this.files.get(name);
    if (!file) throw new Error(`pathOf: "${name}" is not a deployed source file; files: ${[...this.files.keys()].join(', ')}`);
    return file.path;
  }
}
