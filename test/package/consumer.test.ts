import { execFile, execFileSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { lockedVersion, packed } from './pack';
import { repoPath } from '../fixtures';

const execFileAsync = promisify(execFile);

/** What a consumer's CDK app installs beside the package: its peers, pinned as in our lock file. */
const CONSUMER_DEPENDENCIES = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-28', '@aws-cdk/lambda-layer-kubectl-v35', '@aws-cdk/lambda-layer-kubectl-v36', 'cdk-nag', '@types/node'];

/** A TypeScript consumer's compiler settings: CommonJS output, strict. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    rootDir: 'src',
    outDir: 'js',
    types: ['node'],
    skipLibCheck: true,
  },
  include: ['src'],
};

/** A file that imports the package the way a TypeScript user does, for ts-node and tsx. */
const IMPORT_CHECK = `import { GitOpsPlatform, PlatformSpecLoader, type PlatformSpec } from 'cdk-eks-gitops';
const spec: Pick<PlatformSpec, 'name'> = { name: 'check' };
console.log(typeof GitOpsPlatform, typeof PlatformSpecLoader.fromObject, spec.name);
`;

/** How a program ended. */
interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('a CDK app of a consumer, with the package installed from its packed tarball', () => {
  let appDir: string;

  /** Runs a program in the consumer's directory (asynchronously: the suite's timers keep running). */
  async function runIn(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
    return execFileAsync(file, args, { cwd: appDir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: Outcome) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }
  const node = (args: string[], env?: NodeJS.ProcessEnv) => runIn(process.execPath, args, env);

  beforeAll(() => {
    // GIVEN the tarball npm publish would upload
    const tarball = packed();
    // AND an empty CDK app that depends on it and on the peers at the versions this repository tests
    appDir = mkdtempSync(join(tmpdir(), 'cdk-eks-gitops-consumer-'));
    const dependencies: Record<string, string> = { 'cdk-eks-gitops': `file:${tarball.path}` };
    for (const name of CONSUMER_DEPENDENCIES) dependencies[name] = lockedVersion(name);
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies }, null, 2));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
    // AND the example code of docs/library.md (examples/consumer/), compiled to JavaScript against the installed package's types
    mkdirSync(join(appDir, 'src'));
    for (const file of readdirSync(repoPath('examples', 'consumer'))) {
      copyFileSync(repoPath('examples', 'consumer', file), join(appDir, 'src', file));
    }
    writeFileSync(join(appDir, 'src', 'import-check.ts'), IMPORT_CHECK);
    writeFileSync(join(appDir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    execFileSync(process.execPath, [repoPath('node_modules', 'typescript', 'bin', 'tsc'), '-p', appDir], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
  });

  test('require() and import resolve to the compiled build/ of the installed package', async () => {
    const cjs = await node(['-e', "console.log(require.resolve('cdk-eks-gitops'), typeof require('cdk-eks-gitops').GitOpsPlatform)"]);
    expect(cjs.stdout.trim()).toBe(`${join(appDir, 'node_modules', 'cdk-eks-gitops', 'build', 'index.js')} function`);
    const esm = await node(['--input-type=module', '-e', "import { GitOpsPlatform } from 'cdk-eks-gitops'; console.log(typeof GitOpsPlatform)"]);
    expect(esm).toMatchObject({ code: 0, stdout: 'function\n' });
  });

  test('TypeScript runs it through ts-node and tsx as well', async () => {
    for (const runner of ['ts-node', 'tsx']) {
      const outcome = await runIn(repoPath('node_modules', '.bin', runner), ['src/import-check.ts']);
      expect({ runner, ...outcome, stderr: outcome.code === 0 ? '' : outcome.stderr }).toMatchObject({ runner, code: 0, stdout: 'function function check\n' });
    }
  });

  test('the whole platform, from a spec object, synthesizes with plain node and cdk-nag reports 0 findings', async () => {
    const outdir = join(appDir, 'cdk.out.platform');
    const outcome = await node(['js/platform.js'], { CDK_OUTDIR: outdir });
    expect(outcome.stderr).toBe('');
    expect(outcome).toMatchObject({ code: 0, stdout: expect.stringMatching(/^shop-platform: \d+ resources\n$/) });
    const template = JSON.parse(readFileSync(join(outdir, 'shop-platform.template.json'), 'utf8'));
    const types = Object.values<any>(template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::EKS::Cluster', 'AWS::IAM::OIDCProvider', 'AWS::ECR::Repository', 'Custom::AWSCDK-EKS-HelmChart']));
  });

  test('the single constructs in the consumer\'s own stack synthesize with plain node, cdk-nag reports 0 findings', async () => {
    const outcome = await node(['js/constructs.js'], { CDK_OUTDIR: join(appDir, 'cdk.out.constructs') });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^CDK stack team-shop: \d+ resources\n/);
    expect(outcome.stdout).toContain('kind: Application');
  });

  test.each([
    ['js/platform.js', 'AwsSolutions-IAM4'],
    ['js/constructs.js', 'AwsSolutions-IAM5'],
  ])('cdk-nag is really on in %s: with the acknowledgements turned off, the synth fails on %s', async (script, rule) => {
    const outcome = await node([script], {
      CDK_OUTDIR: join(appDir, `cdk.out.${rule}`),
      CDK_CONTEXT_JSON: JSON.stringify({ 'cdk-eks-gitops:acknowledgeNagFindings': false }),
    });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain(rule);
  });
});
