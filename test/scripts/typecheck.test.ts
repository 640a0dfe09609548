// scripts/typecheck.js runs tsc in build mode, whose up-to-date check reads the times of the
// project's own files and not of node_modules: it drops the kept state after an install.
import { mkdtempSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Plain JavaScript, which the type-check does not read: its one export, typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { keptStateIsStale } = require('../../scripts/typecheck') as { keptStateIsStale: (state: string, install: string) => boolean };

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
});
