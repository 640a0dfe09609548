import { rmSync } from 'fs';
import { basename } from 'path';

/**
 * jest's global teardown: removes the run's temporary directory (see global-setup.ts), unless
 * `KEEP_TEST_TMP=1` asks to keep it for a look at what a test wrote.
 */
export default function globalTeardown(): void {
  const dir = process.env.TMPDIR;
  // Only the directory global-setup.ts made: never a TMPDIR the run was started with.
  if (!dir || !basename(dir).startsWith('cdk-eks-gitops-test-')) return;
  if (process.env.KEEP_TEST_TMP === '1') {
    process.stderr.write(`\nKEEP_TEST_TMP=1: the tests' temporary files are in ${dir}\n`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}
