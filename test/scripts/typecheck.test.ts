// scripts/typecheck.js runs tsc in build mode, whose up-to-date check reads the times of the
// project's own files and not of node_modules: it drops the kept state after an install.
import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Plain JavaScript, which the type-check does not read: its one export, typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { keptStateIsStale, dateStateBack } = require('../../scripts/typecheck') as {
  keptStateIsStale: (state: string, install: string) => boolean;
  dateStateBack: (state: string, startedMs: number) => void;
};

describe("the type-check's kept state", () => {
  const dir = mkdtempSync(join(tmpdir(), 'typecheck-'));
  const state = join(dir, 'check.tsbuildinfo');
  const install = join(dir, '.package-lock.json');
  /** Writes a file modified `secondsAgo` seconds ago. */
  const writtenAgo = (path: string, secondsAgo: number) => {
    writeFileSync(path, '{}');
    const at = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path, at, at);
  };

  test('is kept when it was written after the last install', () => {
    writtenAgo(install, 60);
    writtenAgo(state, 10);
    expect(keptStateIsStale(state, install)).toBe(false);
  });

  test('is dropped when an install happened since it was written', () => {
    writtenAgo(state, 60);
    writtenAgo(install, 10);
    expect(keptStateIsStale(state, install)).toBe(true);
  });

  test('is dropped when nothing says when the last install was', () => {
    writtenAgo(state, 10);
    expect(keptStateIsStale(state, join(dir, 'no-such-file'))).toBe(true);
  });

  test('with none kept there is nothing to drop', () => {
    writtenAgo(install, 10);
    expect(keptStateIsStale(join(dir, 'no-such-state'), install)).toBe(false);
  });

  test('written by a check is dated back to its start, so that a file edited during it is newer', () => {
    const startedMs = Math.floor(Date.now()) - 30_000;
    writtenAgo(state, 5);
    dateStateBack(state, startedMs);
    // A millisecond before the start, give or take the file system's rounding: never at or after it
    // (that would hide an edit made as the check started).
    const dated = statSync(state).mtimeMs;
    expect(dated).toBeLessThan(startedMs);
    expect(dated).toBeGreaterThan(startedMs - 2);
  });

  test('not written by the check (up to date) keeps its time', () => {
    writtenAgo(state, 60);
    const before = statSync(state).mtimeMs;
    dateStateBack(state, Math.floor(Date.now()) - 30_000);
    expect(statSync(state).mtimeMs).toBe(before);
    expect(() => dateStateBack(join(dir, 'no-such-state'), Date.now())).not.toThrow();
  });
});
