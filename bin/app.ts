#!/usr/bin/env node
// The CDK app (cdk.json): `npx cdk synth` of the platform stacks. The spec is
// examples/sandbox/platform.yaml unless `-c spec=FILE` names another.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GitOpsPlatform } from '../lib/aws/gitops-platform';
import { DEFAULT_SPEC_PATH, loadPlatform, runMain } from '../lib/spec/load-platform';

runMain(async () => {
  const app = new App();
  const specPath = (app.node.tryGetContext('spec') as string | undefined) ?? DEFAULT_SPEC_PATH;
  const { platform } = await loadPlatform(specPath);
  new GitOpsPlatform(app, platform.name, { platform });
  // cdk-nag's AwsSolutions pack checks every stack. The constructs acknowledge the findings they
  // accept, each with its reason; set -c nag=false to skip the pack.
  if (app.node.tryGetContext('nag') !== 'false') {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
  app.synth();
});
