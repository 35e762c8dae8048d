/**
 * checkov over the synthesized Terraform JSON, honouring the acknowledgements the constructs write
 * next to each resource (see lib/policy/checkov-inline-skips.ts for why checkov alone cannot).
 *
 *   npx ts-node --swc scripts/checkov-terraform-json.ts [directory]   (default: cdktf.out/stacks)
 *
 * Exits 0 when every failed check is acknowledged with a reason, 1 otherwise, 2 when checkov could
 * not run. Offline: `--skip-download` keeps checkov from calling the Prisma Cloud API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyInlineSkips, type CheckovFinding } from '../lib/policy/checkov-inline-skips';

const directory = process.argv[2] ?? 'cdktf.out/stacks';
const checkov = process.env.CHECKOV ?? join(__dirname, '..', '.venv', 'bin', 'checkov');

if (!existsSync(directory)) {
  process.stderr.write(`checkov-terraform-json: ${directory} does not exist; synthesize first (npx ts-node --swc bin/cdktf.ts)\n`);
  process.exit(2);
}
const run = spawnSync(checkov, ['-d', directory, '--framework', 'terraform_json', '--skip-download', '--quiet', '--compact', '-o', 'json'], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
if (run.error || run.status === null || run.status > 1) {
  process.stderr.write(`checkov-terraform-json: ${checkov} failed: ${run.error?.message ?? run.stderr}\n`);
  process.exit(2);
}
const parsed = JSON.parse(run.stdout) as
  { results?: { failed_checks?: CheckovFinding[] }; summary?: { passed: number } } | Array<{ results?: { failed_checks?: CheckovFinding[] } }>;
const reports = Array.isArray(parsed) ? parsed : [parsed];
const findings = reports.flatMap((report) => report.results?.failed_checks ?? []);
const { acknowledged, unacknowledged } = applyInlineSkips(findings, (path) => readFileSync(path, 'utf8'));

for (const { finding, reason } of acknowledged) process.stdout.write(`SKIPPED ${finding.check_id} ${finding.resource} ${finding.file_path}: ${reason}\n`);
for (const finding of unacknowledged) {
  process.stdout.write(
    `FAILED  ${finding.check_id} ${finding.resource} ${finding.file_path}:${finding.file_line_range.join('-')} ${finding.check_name ?? ''}\n`,
  );
}
const passed = reports.reduce((sum, report) => sum + ((report as { summary?: { passed: number } }).summary?.passed ?? 0), 0);
process.stdout.write(`checkov terraform_json: ${passed} passed, ${acknowledged.length} acknowledged in code, ${unacknowledged.length} failed\n`);
process.exitCode = unacknowledged.length > 0 ? 1 : 0;
