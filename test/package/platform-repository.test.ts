// A platform repository as a newcomer gets one before a version is on npm, by the README's install
// commands: the packed tarball's own `init --package` (through npx, which installs the tarball
// with its peers), then `npm install`, `validate` and `synth` in the new repository, and the real
// CLIs it installed running what init wrote (`cdk synth` runs app.js through cdk.json, `cdk8s
// synth` runs manifests.js through cdk8s.yaml). Then the repository is committed and cloned
// elsewhere, and the clone installs with `npm ci`: the dependency on the package is a path inside
// the repository (vendor/), which resolves in any clone.
import { execFile, execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join, resolve } from 'path';
import { promisify } from 'util';
import { lockedVersion, packed } from './pack';

const execFileAsync = promisify(execFile);

/** What the repository's package.json lists (init writes it) besides the package itself. */
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

/**
 * Runs a program as a user would in `cwd` (asynchronously: the suite's timers keep running). npm
 * prefers its cache to the registry (`--prefer-offline`): the peers are the versions this clone
 * installed, so a warm cache has them all.
 */
async function run(cwd: string, file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return execFileAsync(file, args, {
    cwd,
    env: {
      ...process.env,
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      CDK_EKS_GITOPS_DEBUG: '',
      PLATFORM_SPEC: '',
      CDK_DEFAULT_ACCOUNT: '',
      AWS_ACCOUNT_ID: ACCOUNT,
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Outcome) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** The directories npx installed `tarball` into, in npm's cache (`_npx/<hash>/`), to remove after the test. */
function npxInstallsOf(tarball: string): string[] {
  const npxDir = join(execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(), '_npx');
  if (!existsSync(npxDir)) return [];
  return readdirSync(npxDir)
    .map((hash) => join(npxDir, hash))
    .filter((dir) => {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) return false;
      const spec: string | undefined = JSON.parse(readFileSync(manifest, 'utf8')).dependencies?.['cdk-eks-gitops'];
      return spec?.startsWith('file:') === true && resolve(dir, spec.slice('file:'.length)) === tarball;
    });
}

describe('the README\'s install with the packed tarball: init --package, npm install, validate, synth, and a clone that installs', () => {
  let workspace: string;
  let tarball: string;
  let repo: string;
  let init: Outcome;
  let install: Outcome;
  const inRepo = (args: string[], env?: NodeJS.ProcessEnv) => run(repo, 'npx', args, env);

  beforeAll(async () => {
    // GIVEN the tarball `npm pack` writes, in an otherwise empty directory
    const packedTarball = packed();
    workspace = mkdtempSync(join(tmpdir(), 'cdk-eks-gitops-newcomer-'));
    tarball = join(workspace, basename(packedTarball.path));
    copyFileSync(packedTarball.path, tarball);
    const local = `./${basename(tarball)}`;
    // WHEN the README's commands run there: the tarball's init, through npx ...
    init = await run(workspace, 'npx', ['--yes', '--package', local, 'cdk-eks-gitops', 'init', 'shop', '--name', 'shop', '--owner', 'example-org', '--package', local]);
    repo = join(workspace, 'shop');
    // ... and npm install in the new repository
    if (init.code === 0) install = await run(repo, 'npm', ['install', '--loglevel=error']);
  });

  afterAll(() => {
    // npx keeps what it installed in npm's cache, under a name of its own for this tarball's path.
    if (tarball) for (const dir of npxInstallsOf(tarball)) rmSync(dir, { recursive: true, force: true });
  });

  test('init copied the tarball into vendor/ and depends on it there, pinning the peers this repository tests with', () => {
    expect(init).toMatchObject({ code: 0, stdout: expect.stringContaining('package.json depends on file:vendor/cdk-eks-gitops-0.0.0.tgz: commit vendor/cdk-eks-gitops-0.0.0.tgz with the rest.\n') });
    expect(readdirSync(repo).sort()).toEqual(['.gitignore', 'app.js', 'cdk.json', 'cdk8s.yaml', 'manifests.js', 'node_modules', 'package-lock.json', 'package.json', 'platform.yaml', 'vendor']);
    expect(readFileSync(join(repo, 'vendor', 'cdk-eks-gitops-0.0.0.tgz')).equals(readFileSync(tarball))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(manifest.dependencies['cdk-eks-gitops']).toBe('file:vendor/cdk-eks-gitops-0.0.0.tgz');
    for (const name of INSTALLED) expect(`${name}@${manifest.dependencies[name]}`).toBe(`${name}@${lockedVersion(name)}`);
  });

  test('npm install installs it, and the lock file records the path inside the repository', () => {
    expect(install.code).toBe(0);
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/cdk-eks-gitops']).toMatchObject({ version: '0.0.0', resolved: 'file:vendor/cdk-eks-gitops-0.0.0.tgz' });
  });

  test('validate and synth run from the installed bin, on plain node', async () => {
    expect(await inRepo(['cdk-eks-gitops', 'validate'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^platform\.yaml is valid: platform shop /) });
    const synth = await inRepo(['cdk-eks-gitops', 'synth']);
    expect(synth.code).toBe(0);
    expect(synth.stdout).toContain("  cdk.out  cloud assembly: shop-platform; checked by cdk-nag's AwsSolutions pack\n");
  });

  test('the repository\'s cdk synth runs app.js through cdk.json and writes the templates the one-process synth wrote', async () => {
    const cdk = await inRepo(['cdk', 'synth', '--quiet', '-o', 'cdk.out.cli']);
    expect(cdk.code).toBe(0);
    // The same program (the compiled package) ran the app both times: the templates are equal, analytics and all.
    expect(JSON.parse(readFileSync(join(repo, 'cdk.out.cli', 'shop-platform.template.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(repo, 'cdk.out', 'shop-platform.template.json'), 'utf8')),
    );
  });

  test('the repository\'s cdk8s synth runs manifests.js through cdk8s.yaml and writes the trees the one-process synth wrote', async () => {
    const cdk8s = await inRepo(['cdk8s', 'synth', '--no-check-upgrade', '-o', 'dist.cli'], { PLATFORM_WORKFLOWS_DIR: 'ci.out.cli' });
    expect(cdk8s.code).toBe(0);
    expect(files(join(repo, 'dist.cli'))).toEqual(files(join(repo, 'dist')));
    expect(files(join(repo, 'ci.out.cli'))).toEqual(files(join(repo, 'ci.out')));
  });

  test('committed and cloned elsewhere, the repository installs with npm ci and validates', async () => {
    const git = (cwd: string, args: string[]) =>
      execFileSync('git', args, {
        cwd,
        stdio: 'pipe',
        env: { ...process.env, GIT_AUTHOR_NAME: 'newcomer', GIT_AUTHOR_EMAIL: 'newcomer@example.com', GIT_COMMITTER_NAME: 'newcomer', GIT_COMMITTER_EMAIL: 'newcomer@example.com' },
      });
    // The outputs of the tests above under names of their own, which the repository's .gitignore does not know.
    for (const output of ['cdk.out.cli', 'dist.cli', 'ci.out.cli']) rmSync(join(repo, output), { recursive: true, force: true });
    git(repo, ['init', '--quiet', '--initial-branch=main']);
    git(repo, ['add', '--all']);
    git(repo, ['commit', '--quiet', '--message', 'A platform repository']);
    // What was committed: the vendored tarball and the lock file, no build output, no node_modules.
    const tracked = git(repo, ['ls-files']).toString().trim().split('\n').sort();
    expect(tracked).toEqual(['.gitignore', 'app.js', 'cdk.json', 'cdk8s.yaml', 'manifests.js', 'package-lock.json', 'package.json', 'platform.yaml', 'vendor/cdk-eks-gitops-0.0.0.tgz']);

    // A clone at another path (the tarball it was made from is gone as well)
    const clone = join(mkdtempSync(join(tmpdir(), 'cdk-eks-gitops-clone-')), 'shop');
    git(workspace, ['clone', '--quiet', repo, clone]);
    rmSync(tarball);
    const ci = await run(clone, 'npm', ['ci', '--loglevel=error']);
    expect(ci.code).toBe(0);
    expect(JSON.parse(readFileSync(join(clone, 'node_modules', 'cdk-eks-gitops', 'package.json'), 'utf8')).version).toBe('0.0.0');
    expect(await run(clone, 'npx', ['cdk-eks-gitops', 'validate'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^platform\.yaml is valid: platform shop /) });
  });
});
