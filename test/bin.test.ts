import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { repoPath, specWithTenMistakes, TEN_MISTAKE_PATHS } from './fixtures';
import { tsxCommand } from './support/tsx';

/** A spec file with ten mistakes, one per field. */
function badSpecFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bad-spec-')), 'platform.yaml');
  writeFileSync(path, stringify(specWithTenMistakes()));
  return path;
}

/** Runs one of the two apps the way the CLIs do. */
function run(app: string, env: Record<string, string>) {
  const [command, args] = tsxCommand(`bin/${app}.ts`);
  const result = spawnSync(command, args, { cwd: repoPath(), encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stderr: result.stderr };
}

describe.each([
  ['manifests', (spec: string) => ({ PLATFORM_SPEC: spec, CDK8S_OUTDIR: mkdtempSync(join(tmpdir(), 'out-')), PLATFORM_WORKFLOWS_DIR: join(tmpdir(), 'ci-out-unused') })],
  ['app', (spec: string) => ({ CDK_CONTEXT_JSON: JSON.stringify({ spec }), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-')) })],
])('bin/%s.ts with a bad spec', (app, env) => {
  const spec = badSpecFile();
  const { status, stderr } = run(app, env(spec));

  test('exits non-zero with all ten problems, each naming its field, and no stack trace', () => {
    expect(status).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines.map((l) => l.slice(4).split(':')[0])).toEqual(TEN_MISTAKE_PATHS);
    expect(stderr).toContain(`${spec}: 10 problems`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});

test('a missing spec file says so', () => {
  const { status, stderr } = run('manifests', { PLATFORM_SPEC: '/nonexistent/platform.yaml' });
  expect(status).toBe(1);
  expect(stderr.trim()).toBe('/nonexistent/platform.yaml: 1 problem\n  - (file): cannot read the spec: no such file');
});

describe('bin/manifests.ts outputs', () => {
  const out = mkdtempSync(join(tmpdir(), 'outputs-'));
  const env = { CDK8S_OUTDIR: join(out, 'dist'), PLATFORM_WORKFLOWS_DIR: join(out, 'ci.out') };

  test('the manifest tree goes to CDK8S_OUTDIR and the release workflows to their own output, one per app', () => {
    expect(run('manifests', env).status).toBe(0);
    expect(readdirSync(join(out, 'dist')).sort()).toEqual(['README.md', 'argocd', 'argocd_image_updater', 'main']);
    expect(readdirSync(join(out, 'ci.out')).sort()).toEqual(['README.md', 'sandbox-app']);
    expect(readdirSync(join(out, 'ci.out', 'sandbox-app', '.github', 'workflows'))).toEqual(['release-main.yml']);
  });

  test('refuses to empty a checkout named as the workflow output', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'app-checkout-'));
    mkdirSync(join(checkout, '.git'));
    writeFileSync(join(checkout, 'main.go'), 'package main\n');
    const { status, stderr } = run('manifests', { ...env, PLATFORM_WORKFLOWS_DIR: checkout });
    expect(status).toBe(1);
    expect(stderr).toContain(`${checkout} is a checkout, not a build output: it would be emptied`);
    expect(existsSync(join(checkout, 'main.go'))).toBe(true);
  });
});
