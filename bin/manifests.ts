#!/usr/bin/env node
// The cdk8s app (cdk8s.yaml): `npx cdk8s synth` writes the manifest tree to dist/ and the application
// repositories' workflows to ci.out/ (PLATFORM_WORKFLOWS_DIR), both disposable build outputs. With
// PLATFORM_MANIFESTS_DIR it also writes the tree into that manifest-repository checkout, safely (see
// CheckoutWriter). The spec is examples/sandbox/platform.yaml unless PLATFORM_SPEC=FILE names another.
import { CiWorkflows } from '../lib/ci/ci-workflows';
import { planSummary } from '../lib/cli/plan-report';
import { DisposableOutput } from '../lib/manifests/disposable-output';
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import { PlatformCheckouts } from '../lib/manifests/platform-checkouts';
import { DEFAULT_SPEC_PATH, loadPlatform, runMain } from '../lib/spec/load-platform';

runMain(async () => {
  const { platform } = await loadPlatform(process.env.PLATFORM_SPEC ?? DEFAULT_SPEC_PATH);
  // The cdk8s CLI says where it expects the output (it has emptied that directory already).
  new ManifestRepository(platform).write(process.env.CDK8S_OUTDIR ?? 'dist');
  DisposableOutput.write(process.env.PLATFORM_WORKFLOWS_DIR ?? 'ci.out', new CiWorkflows(platform).workflowFiles());

  const checkout = process.env.PLATFORM_MANIFESTS_DIR;
  if (checkout) {
    const [{ label, writer }] = PlatformCheckouts.writers(platform, { manifests: checkout });
    // The cdk8s CLI swallows the app's standard output; standard error reaches the user.
    process.stderr.write(planSummary(label, writer.apply()));
  }
});
