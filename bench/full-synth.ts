/**
 * The measured side of the synth benchmark: exactly what `npm run synth` does (PLATFORM_ENV included), into a
 * scratch folder. With BENCH_REPORT set, writes the process's peak resident memory there (KiB) when done.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAwsApp } from '../bin/aws-app';
import { buildCdktfApp } from '../bin/cdktf-app';
import { loadPlatformConfig } from '../lib/config';

const out = process.env.BENCH_OUT ?? mkdtempSync(join(tmpdir(), 'bench-full-'));
const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
buildAwsApp(config, { outdir: join(out, 'cdk.out') }).synth();
buildCdktfApp(config, { outdir: join(out, 'cdktf.out') }).synth();
if (process.env.BENCH_REPORT) writeFileSync(process.env.BENCH_REPORT, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
