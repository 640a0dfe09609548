// `cdk-eks-gitops synth`: the CDK app and the manifests in one process. One synth runs, in a
// repository `init` made (its cdk.json, its starter spec), and every assertion reads its outputs.
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { tarballOf } from './package-tarball';
import { Outcome, runCli, runMain, STACK_TRACE } from './run-cli';
import { repoPath, specWithTenMistakes } from '../fixtures';

const SANDBOX = repoPath('examples', 'sandbox', 'platform.yaml');
const ACCOUNT = '111122223333';

const json = (...path: string[]) => JSON.parse(readFileSync(join(...path), 'utf8'));

describe('cdk-eks-gitops synth, in a repository made by init', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synth-'));
  let synth: Outcome;
  beforeAll(async () => {
    expect((await runMain(['init', dir, '--name', 'shop', '--owner', 'acme', '--package', tarballOf('0.1.0')])).status).toBe(0);
    // The starter spec names no account: the synth takes it from the environment, once.
    synth = runCli(['synth'], { cwd: dir, env: { AWS_ACCOUNT_ID: ACCOUNT, CDK_DEFAULT_ACCOUNT: '' } });
  });

  test('exits 0 and says what it wrote where, and how to deploy it', () => {
    expect(synth.status).toBe(0);
    expect(synth.stdout.split('\n')).toEqual([
      `platform.yaml: platform shop, account ${ACCOUNT} (from the environment), region us-east-1`,
      "  cdk.out  cloud assembly: shop-platform; checked by cdk-nag's AwsSolutions pack",
      expect.stringMatching(/^ {2}dist {2}manifest tree: \d+ files$/),
      '  ci.out  release workflows: 2 files',
      'Deploy the stacks with: npx cdk deploy --app cdk.out --all',
      '',
    ]);
  });

  test("prints the constructs' warnings as cdk synth does: the starter spec names no cluster admin yet", () => {
    expect(synth.stderr).toMatch(/^warning: shop-platform\/Cluster: No cluster admin role: .*Add your role's ARN to cluster\.adminRoleArns\./m);
    expect(synth.stderr).not.toMatch(STACK_TRACE);
  });

  test("cdk.out is a cloud assembly with the platform stack, built with cdk.json's context and the CDK CLI's defaults", () => {
    const manifest = json(dir, 'cdk.out', 'manifest.json');
    expect(manifest.artifacts['shop-platform']).toMatchObject({
      type: 'aws:cloudformation:stack',
      environment: `aws://${ACCOUNT}/us-east-1`,
      properties: { templateFile: 'shop-platform.template.json' },
    });
    const template = json(dir, 'cdk.out', 'shop-platform.template.json');
    const resources = Object.values<any>(template.Resources);
    const types = resources.map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::EKS::Cluster', 'AWS::ECR::Repository', 'AWS::CDK::Metadata']));
    // @aws-cdk/aws-eks:useNativeOidcProvider from cdk.json: the native provider, no custom resource.
    expect(types).toContain('AWS::IAM::OIDCProvider');
    expect(types).not.toContain('Custom::AWSCDKOpenIdConnectProvider');
    // The construct paths the CDK CLI asks for (aws:cdk:enable-path-metadata).
    expect(resources.find((r) => r.Type === 'AWS::EKS::Cluster')).toMatchObject({
      Metadata: { 'aws:cdk:path': expect.stringMatching(/^shop-platform\/Cluster\//) },
    });
  });

  test('cdk-nag checked every stack: its report is in the assembly, with no finding', () => {
    const report = json(dir, 'cdk.out', 'validation-report.json');
    const nag = report.pluginReports.find((r: any) => r.pluginName === 'AwsSolutions');
    expect(nag).toMatchObject({ conclusion: 'success', violations: [] });
  });

  test('the CDK CLI reads it: cdk ls --app cdk.out lists the stack', () => {
    const result = spawnSync(repoPath('node_modules', '.bin', 'cdk'), ['ls', '--app', 'cdk.out'], { cwd: dir, encoding: 'utf8' });
    expect(result.stdout).toBe('shop-platform\n');
    expect(result.status).toBe(0);
  });

  test("cdk synth finds every feature flag configured: init's cdk.json sets them (as the tests run them)", () => {
    // The CDK CLI counts the flags of the assembly's feature flag report left unset whose
    // recommended value differs, and warns "N feature flags are not configured" (aws-cdk
    // lib/cli/cdk-toolkit.ts, displayFlagsMessage; --quiet shows it in CI too).
    const result = spawnSync(repoPath('node_modules', '.bin', 'cdk'), ['synth', '--app', 'cdk.out', '--quiet'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/feature flags are not configured/);
  });

  test('dist/ holds the manifest tree and ci.out/ the release workflows', () => {
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['README.md', 'argocd', 'argocd_image_updater', 'main']);
    expect(readdirSync(join(dir, 'dist', 'main', 'base'))).toContain('kustomization.yaml');
    expect(readFileSync(join(dir, 'dist', 'main', 'overlays', 'production', 'kustomization.yaml'), 'utf8')).toContain(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop/main/app`);
    expect(readdirSync(join(dir, 'ci.out')).sort()).toEqual(['README.md', 'shop-app']);
    expect(readdirSync(join(dir, 'ci.out', 'shop-app', '.github', 'workflows'))).toEqual(['release-main.yml']);
  });
});

describe('cdk-eks-gitops synth of a spec with several environments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synth-environments-'));
  let synth: Outcome;
  beforeAll(async () => {
    // Every environment names its account: nothing is asked of STS or the environment. Through
    // main(), with the outputs named (the defaults in the working directory, and the process's exit
    // status and streams, are the first describe's, on a process).
    const outputs = ['--out', join(dir, 'cdk.out'), '--manifests', join(dir, 'dist'), '--workflows', join(dir, 'ci.out')];
    synth = await runMain(['synth', '--spec', repoPath('examples', 'two-environments', 'platform.yaml'), '--no-nag', ...outputs], { AWS_ACCOUNT_ID: '', CDK_DEFAULT_ACCOUNT: '' });
  });

  test('one run: every environment\'s stacks in its own account, one manifest tree of every environment, the release workflows once', () => {
    expect(synth.stderr).not.toMatch(STACK_TRACE);
    expect(synth.status).toBe(0);
    const lines = synth.stdout.split('\n');
    expect(lines[0]).toBe(
      `${repoPath('examples', 'two-environments', 'platform.yaml')}: platform shop, environments staging (account 111111111111, ap-northeast-1), production (account 222222222222, ap-northeast-1)`,
    );
    const manifest = json(dir, 'cdk.out', 'manifest.json');
    const environments = Object.fromEntries(
      Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id, a]) => [id, a.environment]),
    );
    expect(environments['shop-staging-platform']).toBe('aws://111111111111/ap-northeast-1');
    expect(environments['shop-production-platform']).toBe('aws://222222222222/ap-northeast-1');
    expect(readdirSync(join(dir, 'dist', 'argocd', 'bootstrap')).sort()).toEqual(['install', 'production', 'staging']);
    expect(readdirSync(join(dir, 'dist', 'main', 'overlays')).sort()).toEqual(['production', 'staging']);
    expect(readdirSync(join(dir, 'dist', '.github', 'workflows'))).toEqual(['promote-production.yml']);
    expect(readdirSync(join(dir, 'ci.out', 'shop-app', '.github', 'workflows'))).toEqual(['release-main.yml']);
    // One cdk deploy uses one account's credentials: the hint deploys account by account, from the --out given.
    expect(lines.slice(-4)).toEqual([
      "Deploy each account's stacks with credentials for that account (--profile, or its environment variables), one account at a time:",
      `  npx cdk deploy --app ${join(dir, 'cdk.out')} shop-staging-platform   # account 111111111111`,
      `  npx cdk deploy --app ${join(dir, 'cdk.out')} shop-production-platform   # account 222222222222`,
      '',
    ]);
  });
});

describe('cdk-eks-gitops synth of a platform with a database', () => {
  test('writes the lock beside the spec, which validate then holds a replacing change against', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-database-'));
    const spec = join(dir, 'platform.yaml');
    writeFileSync(spec, readFileSync(repoPath('examples', 'database', 'platform.yaml'), 'utf8'));
    const outputs = ['--out', join(dir, 'cdk.out'), '--manifests', join(dir, 'dist'), '--workflows', join(dir, 'ci.out'), '--no-nag'];
    const synth = await runMain(['synth', '--spec', spec, ...outputs]);
    expect(synth.status).toBe(0);
    expect(synth.stdout).toContain(`  ${join(dir, 'platform.lock.json')}  what the databases are created with (commit it: validate refuses a change that would replace one)\n`);
    expect(json(dir, 'platform.lock.json')).toEqual({
      databases: { 'production/main': { engine: 'postgresql', kind: 'cluster', clusterIdentifier: 'sandbox-main', databaseName: 'main', username: 'dbadmin', stackId: 'sandbox-platform' } },
    });
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('engine: postgresql', 'engine: mysql'));
    const validate = await runMain(['validate', '--spec', spec]);
    expect(validate.status).toBe(1);
    expect(validate.stderr).toMatch(/apps\[0\]\.database\.engine: would replace the database of 'main' in 'production': its engine is 'postgresql' in platform\.lock\.json and 'mysql' now/);
  });

  test('a platform without a database gets no lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-no-database-'));
    const spec = join(dir, 'platform.yaml');
    writeFileSync(spec, readFileSync(SANDBOX, 'utf8'));
    const synth = await runMain(['synth', '--spec', spec, '--out', join(dir, 'cdk.out'), '--manifests', join(dir, 'dist'), '--workflows', join(dir, 'ci.out'), '--no-nag']);
    expect(synth.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['cdk.out', 'ci.out', 'dist', 'platform.yaml']);
  });
});

describe('cdk-eks-gitops synth refusals', () => {
  test('a bad spec: exit 1 with every problem and no stack trace, and no output written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-bad-'));
    writeFileSync(join(dir, 'platform.yaml'), stringify(specWithTenMistakes()));
    const { status, stdout, stderr } = runCli(['synth'], { cwd: dir });
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderr).toMatch(/^platform\.yaml: 10 problems\n {2}- name: /);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(dir)).toEqual(['platform.yaml']);
  });

  test('a checkout named as an output, --out included, is a usage mistake naming the option, before anything is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-checkout-'));
    const checkout = join(dir, 'checkout');
    execFileSync('git', ['init', '-q', checkout]);
    const outputs = { out: join(dir, 'cdk.out'), manifests: join(dir, 'dist'), workflows: join(dir, 'ci.out') };
    const expected = {
      out: 'the cloud assembly (templates and assets, tens of megabytes) is a build output; give --out a directory of its own (default: cdk.out)',
      manifests: `synth empties it before writing the tree; write a checkout with: npx cdk-eks-gitops manifests --into ${checkout}`,
      workflows: `synth empties it before writing the workflows; write an application repository's checkout with: npx cdk-eks-gitops manifests --app-repo NAME=${checkout} (NAME: its apps[].ci.repository)`,
    };
    for (const option of ['out', 'manifests', 'workflows'] as const) {
      const args = Object.entries({ ...outputs, [option]: checkout }).flatMap(([name, path]) => [`--${name}`, path]);
      const { status, stderr } = await runMain(['synth', '--spec', SANDBOX, ...args]);
      expect({ option, status, stderr }).toEqual({ option, status: 2, stderr: `cdk-eks-gitops: --${option} ${checkout} is a checkout (it holds .git): ${expected[option]}\nRun 'cdk-eks-gitops synth --help' for usage.\n` });
    }
    expect(readdirSync(dir)).toEqual(['checkout']);
    expect(readdirSync(checkout)).toEqual(['.git']);
  });

  test.each([
    [['synth', 'platform.yaml'], "cdk-eks-gitops: unexpected argument 'platform.yaml': name the spec with --spec FILE\n"],
    [['synth', '--manifests', 'out', '--workflows', 'out'], 'cdk-eks-gitops: --manifests out and --workflows out name the same directory: writing one would empty the other; give each output a directory of its own\n'],
    [['synth', '--out', 'build/cdk.out', '--manifests', 'build'], 'cdk-eks-gitops: --out build/cdk.out and --manifests build are one inside the other: writing one would empty the other; give each output a directory of its own\n'],
    [['synth', '--out', ''], "cdk-eks-gitops: --out '': expected a directory (default: cdk.out)\n"],
    [['synth', '--nag=false'], "cdk-eks-gitops: Unknown option '--nag'\n"],
    [['synth', '--out', '/dev/null/x'], 'cdk-eks-gitops: --out /dev/null/x: /dev/null is a file, not a directory; name a directory to write to\n'],
  ])('a usage mistake (%j): exit 2, one message and a pointer to --help', async (args, message) => {
    const { status, stdout, stderr } = await runMain([...args, '--spec', SANDBOX]);
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toBe(`${message}Run 'cdk-eks-gitops synth --help' for usage.\n`);
  });

  test('--help lists the options and says the cdk CLI deploys the assembly', async () => {
    const { status, stdout } = await runMain(['synth', '--help']);
    expect(status).toBe(0);
    for (const text of ['--spec FILE', '--out DIR', '--manifests DIR', '--workflows DIR', '--no-nag', 'npx cdk deploy --app cdk.out --all']) expect(stdout).toContain(text);
  });
});
