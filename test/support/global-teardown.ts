import { rmSync } from 'fs';

/** jest's global teardown: removes the run's temporary directory (see test/support/global-setup.ts). */
export default function globalTeardown(): void {
  const dir = process.env.TEST_RUN_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
