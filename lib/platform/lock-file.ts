// The lock file beside a spec (`platform.lock.json` for `platform.yaml`), written after a clean synth:
// by `cdk-eks-gitops synth` and by the CDK app (`cdk synth`, `cdk deploy`) alike, so that whichever
// of the two a team runs, the next change that would replace a database is refused.
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { databaseLock, lockPathOf } from '../model/platform-lock';
import type { ResolvedPlatform } from '../model/resolved';

/** What `writeLockBeside` did. */
export interface LockFileResult {
  /** The lock file's path. */
  readonly path: string;
  /** Whether its content changed (a new file, a database added or one removed); false when it already said the same. */
  readonly changed: boolean;
}

/**
 * Writes the lock of the platform's databases beside the spec, when it has databases or a lock
 * already. The spec was validated against the old lock, so the new one only adds databases (or
 * drops the ones deleted on purpose, whose entries were removed by hand). A lock that already says
 * the same is not written again: a synth in CI on a read-only checkout, with the lock committed,
 * writes nothing.
 *
 * @returns the lock file and whether it changed, or undefined when the platform has no database and no lock
 * @throws Error naming the file when it has to change and cannot be written: the databases would go unprotected
 */
export function writeLockBeside(specPath: string, platforms: readonly ResolvedPlatform[]): LockFileResult | undefined {
  const lock = databaseLock(platforms);
  const path = lockPathOf(specPath);
  const exists = existsSync(path);
  if (Object.keys(lock.databases).length === 0 && !exists) return undefined;
  const text = `${JSON.stringify(lock, null, 2)}\n`;
  if (exists && readFileSync(path, 'utf8') === text) return { path, changed: false };
  try {
    writeFileSync(path, text);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(
      `${path}: cannot write the lock of the databases (${reason}); without it nothing refuses a change that would replace one. ` +
        `Synthesize in a writable checkout (npx cdk-eks-gitops synth, or npx cdk synth) and commit ${path}`,
    );
  }
  return { path, changed: true };
}
