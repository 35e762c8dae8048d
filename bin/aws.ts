#!/usr/bin/env node
import { loadPlatformConfig } from '../lib/config';
import { runApp } from '../lib/config/run-app';
import { buildAwsApp } from './aws-app';

// The CDK app (`cdk synth`, `cdk deploy <stack>`). PLATFORM_CONFIG selects another definition file.
void runApp(() => {
  const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
  buildAwsApp(config, { outdir: process.env.CDK_OUTDIR }).synth();
});
