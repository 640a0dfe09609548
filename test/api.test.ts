import { readFileSync } from 'fs';
import { repoPath } from './fixtures';
import * as api from '../lib';

/** The names API.md documents (classes, structs, interfaces and enums of the jsii assembly). */
function documentedNames(): Set<string> {
  const names = [...readFileSync(repoPath('API.md'), 'utf8').matchAll(/^### (\w+) <a name=/gm)].map((m) => m[1]);
  return new Set(names);
}

describe('the public API', () => {
  test('lib/index.ts names every export: nothing is re-exported wholesale', () => {
    const source = readFileSync(repoPath('lib', 'index.ts'), 'utf8');
    expect(source).not.toMatch(/export\s*\*/);
  });

  test('every runtime export is a documented class or enum: no helper function or constant leaks', () => {
    const documented = documentedNames();
    const leaks = Object.entries(api)
      .filter(([name, value]) => {
        const isClass = typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
        const isEnum = typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
        return !(isClass || isEnum) || !documented.has(name);
      })
      .map(([name]) => name);
    expect(leaks).toEqual([]);
  });
});
