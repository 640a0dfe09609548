#!/usr/bin/env node
// The cdk8s app (cdk8s.yaml): `npx cdk8s synth` writes the manifest repository under dist/. The spec
// is examples/sandbox/platform.yaml unless PLATFORM_SPEC=FILE names another.
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import { DEFAULT_SPEC_PATH, loadPlatform, runMain } from '../lib/spec/load-platform';

runMain(async () => {
  const { platform } = await loadPlatform(process.env.PLATFORM_SPEC ?? DEFAULT_SPEC_PATH);
  // The cdk8s CLI says where it expects the output.
  new ManifestRepository(platform).write(process.env.CDK8S_OUTDIR ?? 'dist');
});
