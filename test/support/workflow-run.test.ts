// The `gh` and `cosign` stand-ins the workflow runs use (workflow-run.ts): what the generated
// scripts see of them (their output and exit status) and what the tests read back (the calls, the
// pull requests), for every command they support and the ones they refuse.
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cosignStub, ghStub } from './workflow-run';

const runIn = (bin: string) => (command: string, ...args: string[]) => spawnSync(command, args, { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });

test('gh keeps pull requests as GitHub would for list, create and edit, and records every call that succeeds', () => {
  const gh = ghStub();
  const run = runIn(gh.bin);
  const body = join(mkdtempSync(join(tmpdir(), 'body-')), 'body.md');
  writeFileSync(body, 'line 1\n| a | b |\n');
  expect(run('gh', 'pr', 'list', '--head', 'x', '--base', 'main', '--state', 'open').stdout).toBe('');
  expect(run('gh', 'pr', 'create', '--base', 'main', '--head', 'x', '--title', 'T 1', '--body-file', body).stdout).toBe('https://github.com/example/pull/1\n');
  expect(run('gh', 'pr', 'create', '--base', 'main', '--head', 'y', '--title', 'T2', '--body', 'multi\nline').stdout).toBe('https://github.com/example/pull/2\n');
  expect(run('gh', 'pr', 'list', '--head', 'y', '--state', 'open', '--json', 'number', '--jq', '.[0].number // empty').stdout).toBe('2\n');
  expect(run('gh', 'pr', 'list', '--head', 'x', '--base', 'other', '--state', 'open').stdout).toBe('');
  expect(run('gh', 'pr', 'edit', '1', '--title', 'T3', '--body-file', body).status).toBe(0);
  // Refused, and not recorded: an edit of a pull request that is not there, a command it does not know.
  const missing = run('gh', 'pr', 'edit', '9', '--title', 'T3', '--body-file', body);
  expect([missing.status, missing.stderr]).toEqual([1, 'no pull request 9\n']);
  expect(run('gh', 'pr', 'merge', '1').status).toBe(2);
  expect(gh.calls()).toEqual([
    ['pr', 'list', '--head', 'x', '--base', 'main', '--state', 'open'],
    ['pr', 'create', '--base', 'main', '--head', 'x', '--title', 'T 1', '--body-file', body],
    ['pr', 'create', '--base', 'main', '--head', 'y', '--title', 'T2', '--body', 'multi\nline'],
    ['pr', 'list', '--head', 'y', '--state', 'open', '--json', 'number', '--jq', '.[0].number // empty'],
    ['pr', 'list', '--head', 'x', '--base', 'other', '--state', 'open'],
    ['pr', 'edit', '1', '--title', 'T3', '--body-file', body],
  ]);
  expect(gh.pullRequests()).toEqual([
    { number: 1, head: 'x', base: 'main', title: 'T3', body: 'line 1\n| a | b |\n', state: 'open' },
    { number: 2, head: 'y', base: 'main', title: 'T2', body: 'multi\nline', state: 'open' },
  ]);
  expect(ghStub().calls()).toEqual([]);
});

test('cosign verify succeeds except for the references given as unsigned, and every call is recorded', () => {
  const cosign = cosignStub(['r/b:v1']);
  const run = runIn(cosign.bin);
  expect(run('cosign', 'verify', '--certificate-identity', 'i', 'r/a:v1').stdout).toBe('[{"critical":{"identity":{"docker-reference":"r/a:v1"}}}]\n');
  const unsigned = run('cosign', 'verify', '--certificate-identity', 'i', 'r/b:v1');
  expect([unsigned.status, unsigned.stderr]).toEqual([1, 'Error: no matching signatures\n']);
  expect(run('cosign', 'sign', '').status).toBe(2);
  expect(cosign.calls()).toEqual([['verify', '--certificate-identity', 'i', 'r/a:v1'], ['verify', '--certificate-identity', 'i', 'r/b:v1'], ['sign', '']]);
  expect(cosignStub().calls()).toEqual([]);
});
