import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { pack, PROBES, TARBALL_ENV } from './pack';
import { repoPath } from '../fixtures';

/**
 * The package tests' global setup: one `npm pack` for every test file, before the workers start
 * (they inherit this process's environment, which names the file that describes the tarball: its
 * list of files is too long for an environment variable). One pack, not one per file:
 * npm's prepack and postpack rewrite package.json around each pack (scripts/package-manifest.js),
 * so two at once in one clone would race.
 *
 * The test files then run at once, one worker each (`maxWorkers: 3` in jest.config.json; jest's
 * default on two cores is one): the consumer app and the platform repository spend most of their
 * time in `npm install` and `npm ci`, waiting on the registry, not on a core.
 *
 * The pack runs with files a clone may hold and the package must never carry written where absent
 * (test/package/tarball.test.ts checks none is packed), and removes them after.
 *
 * Like the main suite's (test/support/global-setup.ts), the run gets a temporary directory of its own
 * (`TMPDIR`, which `os.tmpdir()`, the workers and the processes they start read), which
 * test/support/global-teardown.ts removes when the run ends: the tarball, the consumer app and the
 * platform repositories with their node_modules, about 1 GB a run, stayed in /tmp before.
 */
export default function globalSetup(): void {
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'cdk-eks-gitops-test-'));
  const written: string[] = [];
  for (const probe of PROBES) {
    // The outermost directory the probe creates, so cleaning up leaves the clone as it was.
    const created = probe.split('/').map((_, i, parts) => repoPath(...parts.slice(0, i + 1))).find((path) => !existsSync(path));
    if (!created) continue;
    mkdirSync(dirname(repoPath(probe)), { recursive: true });
    writeFileSync(repoPath(probe), 'not for the package\n');
    written.push(created);
  }
  try {
    const tarball = pack();
    const report = join(dirname(tarball.path), 'pack-report.json');
    writeFileSync(report, JSON.stringify(tarball));
    process.env[TARBALL_ENV] = report;
  } finally {
    for (const path of written) rmSync(path, { recursive: true });
  }
}
