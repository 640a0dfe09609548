#!/usr/bin/env node
// The cdk8s app (cdk8s.yaml): `npx cdk8s synth` writes the manifest repository under dist/. The spec
// is examples/sandbox/platform.yaml unless PLATFORM_SPEC=FILE names another.
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { CiWorkflows } from '../lib/ci/ci-workflows';
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import { DEFAULT_SPEC_PATH, loadPlatform, runMain } from '../lib/spec/load-platform';

function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

runMain(async () => {
  const { platform } = await loadPlatform(process.env.PLATFORM_SPEC ?? DEFAULT_SPEC_PATH);
  // The cdk8s CLI says where it expects the output.
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  new ManifestRepository(platform).write(outdir);
  // The application repositories' workflows, beside the manifest tree (dist/ci/<repository>/).
  for (const file of new CiWorkflows(platform).workflowFiles()) writeFile(join(outdir, file.path), file.content);
});
