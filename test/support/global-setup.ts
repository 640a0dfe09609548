import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkPrerequisites } from './prerequisites';

/**
 * jest's global setup: the prerequisites of the suite (test/support/prerequisites.ts), checked once
 * before any test runs; the upstream files' directory is handed to the test files as `UPSTREAM_DIR`.
 *
 * It also gives the run a temporary directory of its own (`TMPDIR`, which `os.tmpdir()` and the
 * processes the tests start read): every checkout, tree and cloud assembly the tests write goes
 * there, a few GiB in all, with what the run builds once for all its test files (kustomize builds:
 * test/support/manifest-checks.ts), and test/support/global-teardown.ts removes it when the run ends.
 */
export default async function globalSetup(): Promise<void> {
  // The workers start after this function returns, with this process's environment.
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'cdk-eks-gitops-test-'));
  process.env.UPSTREAM_DIR = await checkPrerequisites();
}
