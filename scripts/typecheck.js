// The type-check of `npm test` (`npm run typecheck`): tsc in build mode on tsconfig.check.json, which
// checks lib, bin, scripts, examples and the tests without emitting, keeping its state in .cache/tsc/.
//
// Why build mode: when nothing changed, `tsc -b` says so from the times of the project's files and of
// its tsconfig files, in about a second. `tsc -p` on the same kept state still reads and hashes every
// declaration file the program uses, aws-cdk-lib's among them: about 7 s on two cores, every run.
// When something changed, both check the same files again.
//
// What build mode does not look at: node_modules. After an install its times would still say
// "up to date" for declarations that are no longer the ones checked. npm rewrites
// node_modules/.package-lock.json at every install, so the kept state is dropped when that file is
// newer than it (or missing: then nothing says when the last install was), and the check starts
// from nothing.
//
// Build mode compares times only for the files tsconfig.check.json's include names, not for the
// others the program reads: scripts/upstream-files.json, which a script imports, is named there.
//
// Build mode also compares each input's time with the kept state's, and that file is written when
// the check ends: a file edited while tsc ran (after it read it) would look older than the state and
// never be checked again until its next edit. So the state is dated back to when the check started.
//
// Plain JavaScript, so it costs no TypeScript loader to start.
const { spawnSync } = require('child_process');
const { rmSync, statSync, utimesSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');

/** The file's modification time in ms, or undefined when it is not there. */
function modified(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Whether the kept state `state` must go before tsc runs: it is there, and the install marker
 * `install` is newer than it or missing.
 */
function keptStateIsStale(state, install) {
  const kept = modified(state);
  if (kept === undefined) return false;
  const installed = modified(install);
  return installed === undefined || installed > kept;
}

/**
 * Dates the kept state `state` back to a millisecond before `startedMs` when it was written since (by
 * the check that started then), so that a file edited during that check is newer than it. The
 * millisecond absorbs the rounding of a time given in milliseconds to the file system's seconds and
 * nanoseconds (which here comes back equal or a microsecond below): the state stays strictly older
 * than anything written once the check started.
 */
function dateStateBack(state, startedMs) {
  const kept = modified(state);
  if (kept === undefined || kept < startedMs) return;
  const before = new Date(startedMs - 1);
  utimesSync(state, before, before);
}

function typecheck(args) {
  const state = join(root, '.cache', 'tsc', 'check.tsbuildinfo');
  if (keptStateIsStale(state, join(root, 'node_modules', '.package-lock.json'))) rmSync(state, { force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // Whole milliseconds, below the times of what tsc reads after this.
  const startedMs = Math.floor(Date.now());
  const result = spawnSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.check.json'), ...args], { stdio: 'inherit' });
  if (result.error) throw result.error;
  dateStateBack(state, startedMs);
  return result.status ?? 1;
}

module.exports = { keptStateIsStale, dateStateBack };

if (require.main === module) process.exit(typecheck(process.argv.slice(2)));
