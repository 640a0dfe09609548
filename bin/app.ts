#!/usr/bin/env node
// The CDK app (cdk.json): `npx cdk synth` of the platform stacks, checked by cdk-nag unless
// `-c nag=false`. The spec is examples/sandbox/platform.yaml unless `-c spec=FILE` names another.
// A platform repository runs the same app (`cdk-eks-gitops init` writes its app.js).
import { PlatformCdkApp } from '../lib/app/cdk-app';
import { DEFAULT_SPEC_PATH } from '../lib/platform/loader';

PlatformCdkApp.run({ defaultSpec: DEFAULT_SPEC_PATH });
