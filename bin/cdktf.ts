#!/usr/bin/env node
import { loadPlatformConfig } from '../lib/config';
import { runApp } from '../lib/config/run-app';
import { buildCdktfApp } from './cdktf-app';

// The CDKTF app (`cdktf synth`, `cdktf deploy <stack>`). PLATFORM_CONFIG selects another definition.
// The definition is loaded before the App exists, so an invalid one writes nothing.
process.env.CHECKPOINT_DISABLE ??= '1';
void runApp(() => {
  buildCdktfApp(loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml')).synth();
});
