import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { repoPath, sandboxSpec } from '../fixtures';
import { programCommand } from '../support/compiled-programs';

/** Runs one of the two apps on a spec file, the way `cdk synth` and `cdk8s synth` run them. */
function run(app: 'app' | 'manifests', spec: string): { status: number | null; problems: string[] } {
  const env =
    app === 'app'
      ? { CDK_CONTEXT_JSON: JSON.stringify({ spec }), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-')) }
      : { PLATFORM_SPEC: spec, CDK8S_OUTDIR: mkdtempSync(join(tmpdir(), 'out-')) };
  const [command, args] = programCommand(`bin/${app}.ts`);
  const result = spawnSync(command, args, { cwd: repoPath(), encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, problems: result.stderr.split('\n').filter((l) => l.startsWith('  - ')) };
}

/**
 * A spec one program accepts, the other must accept too, and a spec one refuses, both refuse in the
 * same words: both load it through the one validation, which knows the limits of the CDK side
 * (a valid CIDR, distinct output names) before any construct sees the spec.
 */
describe.each([
  ['a VPC CIDR with an octet above 255', (s: any) => (s.cluster.vpcCidr = '999.10.0.0/16'), 'cluster.vpcCidr'],
  [
    "apps 'web-1' and 'web1', whose CloudFormation outputs would collide",
    (s: any) => {
      s.apps[0].name = 'web-1';
      s.apps.push({ ...s.apps[0], name: 'web1', namespace: 'web1', host: 'web1.example.com' });
    },
    'apps[1].name',
  ],
])('%s', (_name, mutate, path) => {
  const spec = sandboxSpec();
  mutate(spec);
  const file = join(mkdtempSync(join(tmpdir(), 'agree-')), 'platform.yaml');
  writeFileSync(file, stringify(spec));
  const cdk = run('app', file);
  const manifests = run('manifests', file);

  test('is refused by both programs, with the same single message naming the field', () => {
    expect(cdk.status).toBe(1);
    expect(manifests.status).toBe(1);
    expect(cdk.problems).toHaveLength(1);
    expect(cdk.problems[0].startsWith(`  - ${path}: `)).toBe(true);
    expect(manifests.problems).toEqual(cdk.problems);
  });
});
