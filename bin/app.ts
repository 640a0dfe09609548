#!/usr/bin/env node
// The CDK app (cdk.json): `npx cdk synth` of the platform stack. The spec is
// examples/sandbox/platform.yaml unless `-c spec=FILE` names another.
import { App } from 'aws-cdk-lib';
import { DEFAULT_SPEC_PATH, loadPlatform, runMain } from '../lib/spec/load-platform';

runMain(async () => {
  const app = new App();
  const specPath = (app.node.tryGetContext('spec') as string | undefined) ?? DEFAULT_SPEC_PATH;
  await loadPlatform(specPath);
  app.synth();
});
