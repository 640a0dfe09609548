// A platform repository as a user gets one: the packed package installed with its peers, its
// `cdk-eks-gitops` bin (compiled, plain node) making the repository with `init`, and then the real
// CLIs running what init wrote: `cdk synth` runs app.js through cdk.json, `cdk8s synth` runs
// manifests.js through cdk8s.yaml. The one-process `synth` writes the same templates and trees.
import { execFile, execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { lockedVersion, pack } from './pack';
import { repoPath } from '../fixtures';

const execFileAsync = promisify(execFile);

/** What the repository's package.json lists (init writes it); installed here one directory up. */
const INSTALLED = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-28', '@aws-cdk/lambda-layer-kubectl-v35', '@aws-cdk/lambda-layer-kubectl-v36', 'cdk-nag'];

const ACCOUNT = '111122223333';

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every file under `dir`, relative to it, with its content. */
function files(dir: string): { [path: string]: string } {
  const found: { [path: string]: string } = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub))) {
      const path = join(sub, entry);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else found[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return found;
}

describe('a platform repository made by the packed package\'s init', () => {
  let workspace: string;
  let repo: string;

  /** Runs a program in the platform repository (asynchronously: the suite's timers keep running). */
  async function runIn(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
    return execFileAsync(file, args, {
      cwd: repo,
      env: { ...process.env, CDK_EKS_GITOPS_DEBUG: '', PLATFORM_SPEC: '', CDK_DEFAULT_ACCOUNT: '', AWS_ACCOUNT_ID: ACCOUNT, ...env },
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: Outcome) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }
  const bin = (args: string[]) => runIn(join(workspace, 'node_modules', '.bin', 'cdk-eks-gitops'), args);

  beforeAll(async () => {
    // GIVEN the tarball, installed with its peers and cdk-nag at the versions this repository tests
    const tarball = pack();
    workspace = mkdtempSync(join(tmpdir(), 'cdk-eks-gitops-platform-'));
    const dependencies: Record<string, string> = { 'cdk-eks-gitops': `file:${tarball.path}` };
    for (const name of INSTALLED) dependencies[name] = lockedVersion(name);
    writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'workspace', private: true, dependencies }, null, 2));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    // WHEN its bin makes a platform repository inside (node finds the packages one directory up)
    repo = join(workspace, 'shop');
    mkdirSync(repo);
    const init = await bin(['init', '--name', 'shop', '--owner', 'example-org']);
    expect(init).toMatchObject({ code: 0, stderr: '' });
  });

  test('init wrote the repository, pinning what this workspace installed', () => {
    expect(readdirSync(repo).sort()).toEqual(['.gitignore', 'app.js', 'cdk.json', 'cdk8s.yaml', 'manifests.js', 'package.json', 'platform.yaml']);
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    for (const name of INSTALLED) expect(`${name}@${manifest.dependencies[name]}`).toBe(`${name}@${lockedVersion(name)}`);
  });

  test('validate and synth run from the installed bin, on plain node', async () => {
    expect(await bin(['validate'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^platform\.yaml is valid: platform shop /) });
    const synth = await bin(['synth']);
    expect(synth.code).toBe(0);
    expect(synth.stdout).toContain("  cdk.out  cloud assembly: shop-platform; checked by cdk-nag's AwsSolutions pack\n");
  });

  test('cdk synth runs app.js through cdk.json and writes the templates the one-process synth wrote', async () => {
    const cdk = await runIn(repoPath('node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-o', 'cdk.out.cli']);
    expect(cdk.code).toBe(0);
    // The same program (the compiled package) ran the app both times: the templates are equal, analytics and all.
    expect(JSON.parse(readFileSync(join(repo, 'cdk.out.cli', 'shop-platform.template.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(repo, 'cdk.out', 'shop-platform.template.json'), 'utf8')),
    );
  });

  test('cdk8s synth runs manifests.js through cdk8s.yaml and writes the trees the one-process synth wrote', async () => {
    const cdk8s = await runIn(repoPath('node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '-o', 'dist.cli'], { PLATFORM_WORKFLOWS_DIR: 'ci.out.cli' });
    expect(cdk8s.code).toBe(0);
    expect(files(join(repo, 'dist.cli'))).toEqual(files(join(repo, 'dist')));
    expect(files(join(repo, 'ci.out.cli'))).toEqual(files(join(repo, 'ci.out')));
  });
});
