#!/usr/bin/env node
// The cdk8s app (cdk8s.yaml): `npx cdk8s synth` writes the manifest repository under dist/. The spec
// is examples/sandbox/platform.yaml unless PLATFORM_SPEC=FILE names another.
import { App } from 'cdk8s';
import { DEFAULT_SPEC_PATH, loadPlatform, runMain } from '../lib/spec/load-platform';

runMain(async () => {
  await loadPlatform(process.env.PLATFORM_SPEC ?? DEFAULT_SPEC_PATH);
  new App({ outdir: 'dist' }).synth();
});
