import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { repoPath, specWithTenMistakes, TEN_MISTAKE_PATHS } from './fixtures';
import { programCommand } from './support/compiled-programs';

/** A spec file with ten mistakes, one per field. */
function badSpecFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bad-spec-')), 'platform.yaml');
  writeFileSync(path, stringify(specWithTenMistakes()));
  return path;
}

/** Runs one of the two apps the way the CLIs do. */
function run(app: string, env: Record<string, string>) {
  const [command, args] = programCommand(`bin/${app}.ts`);
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

describe('bin/app.ts (cdk synth, cdk deploy) of a platform with a database', () => {
  // The CDK CLI runs the app with the context in CDK_CONTEXT_JSON and the output directory in
  // CDK_OUTDIR (aws-cdk-lib App: "cdk.json" context and `--output` reach it that way).
  const dir = mkdtempSync(join(tmpdir(), 'cdk-app-database-'));
  const spec = join(dir, 'platform.yaml');
  const lockPath = join(dir, 'platform.lock.json');
  const synth = () => run('app', { CDK_CONTEXT_JSON: JSON.stringify({ spec, nag: false }), CDK_OUTDIR: join(dir, 'cdk.out') });

  test('writes the lock beside the spec, as cdk-eks-gitops synth does, and then refuses a change that would replace the database', () => {
    writeFileSync(spec, readFileSync(repoPath('examples', 'database', 'platform.yaml'), 'utf8'));
    const first = synth();
    expect(first.status).toBe(0);
    expect(readdirSync(join(dir, 'cdk.out'))).toContain('sandbox-platform.template.json');
    expect(first.stderr).toContain(`${lockPath}: what the databases are created with; commit it: validate refuses a change that would replace one\n`);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual({
      databases: { 'production/main': { engine: 'postgresql', kind: 'cluster', clusterIdentifier: 'sandbox-main', databaseName: 'main', username: 'dbadmin', stackId: 'sandbox-platform' } },
    });
    // The lock unchanged: nothing to say, nothing written.
    const again = synth();
    expect(again.status).toBe(0);
    expect(again.stderr).not.toContain(lockPath);

    writeFileSync(spec, readFileSync(spec, 'utf8').replace('engine: postgresql', 'engine: mysql'));
    const replacing = synth();
    expect(replacing.status).toBe(1);
    expect(replacing.stderr).toMatch(/apps\[0\]\.database\.engine: would replace the database of 'main' in 'production': its engine is 'postgresql' in platform\.lock\.json and 'mysql' now/);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).databases['production/main'].engine).toBe('postgresql');
  });
});
