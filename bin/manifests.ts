#!/usr/bin/env node
// The cdk8s app (cdk8s.yaml): `npx cdk8s synth` writes the manifest tree to dist/ and the application
// repositories' workflows to ci.out/ (PLATFORM_WORKFLOWS_DIR), both disposable build outputs. With
// PLATFORM_MANIFESTS_DIR it also writes the tree into that manifest-repository checkout, safely (see
// CheckoutWriter). The spec is examples/sandbox/platform.yaml unless PLATFORM_SPEC=FILE names another.
// A platform repository runs the same app (`cdk-eks-gitops init` writes its manifests.js).
import { PlatformManifestsApp } from '../lib/app/manifests-app';
import { DEFAULT_SPEC_PATH } from '../lib/platform/loader';

PlatformManifestsApp.run({ defaultSpec: DEFAULT_SPEC_PATH });
