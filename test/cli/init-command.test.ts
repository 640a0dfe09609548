// `cdk-eks-gitops init`: a new platform repository whose spec validates and whose two programs run
// the package's apps. The generated entry points run here through tsx, with `cdk-eks-gitops`
// resolved to this repository's lib/ (the package test runs them against the packed tarball).
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import Ajv2020 from 'ajv/dist/2020';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { parse } from 'yaml';
import { tarballOf } from './package-tarball';
import { runCli, runMain, STACK_TRACE } from './run-cli';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { repoPath } from '../fixtures';
import { compiledPath } from '../support/compiled-programs';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const newDir = (prefix = 'init-') => join(mkdtempSync(join(tmpdir(), prefix)), 'platform');

/** A build of the package at 0.1.0, as the release pipeline would pack it. */
const TARBALL = tarballOf('0.1.0');
const VENDORED = 'vendor/cdk-eks-gitops-0.1.0.tgz';
const PACKAGE = ['--package', TARBALL];

const OPTIONS = ['--name', 'shop', '--owner', 'acme', '--region', 'eu-west-1', '--domain', 'shop.example.com', ...PACKAGE];
const FILES = ['.gitignore', 'app.js', 'cdk.json', 'cdk8s.yaml', 'manifests.js', 'package.json', 'platform.yaml', 'vendor'];

/**
 * A directory on NODE_PATH whose `cdk-eks-gitops` is this repository's lib/, compiled
 * (test/support/compiled-programs.ts): the generated entry points `require('cdk-eks-gitops')` as they
 * do in a platform repository, where npm installed it.
 */
function packageShim(): string {
  const shim = mkdtempSync(join(tmpdir(), 'package-shim-'));
  mkdirSync(join(shim, 'cdk-eks-gitops'));
  writeFileSync(join(shim, 'cdk-eks-gitops', 'index.js'), `module.exports = require(${JSON.stringify(compiledPath('lib/index.ts'))});\n`);
  return shim;
}

/** Runs a generated entry point the way its configuration does (`node app.js`). */
function runEntryPoint(dir: string, file: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [file], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: packageShim(), CDK_EKS_GITOPS_DEBUG: '', PLATFORM_SPEC: '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cdk-eks-gitops init DIR --name --owner --region --domain', () => {
  const dir = newDir();
  let outcome: { status: number | null; stdout: string; stderr: string };
  beforeAll(async () => {
    outcome = await runMain(['init', dir, ...OPTIONS]);
  });

  test('writes the platform repository, says what it wrote and what to do next, exit 0', () => {
    expect(outcome.stderr).toBe('');
    expect(outcome.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(FILES);
    expect(outcome.stdout).toBe(
      `Wrote a platform repository in ${dir}: platform.yaml, cdk.json, cdk8s.yaml, app.js, manifests.js, package.json, ${VENDORED}, .gitignore\n` +
        'Platform shop in eu-west-1, GitHub owner acme, domain shop.example.com.\n' +
        `package.json depends on file:${VENDORED}: commit ${VENDORED} with the rest.\n` +
        'Replace the placeholders in platform.yaml (github.ownerId, apps[0].ci.repositoryId, dns.hostedZoneId); set aws.account and cluster.adminRoleArns. Then:\n' +
        `  cd ${dir}\n  npm install\n  npx cdk-eks-gitops validate\n  npx cdk-eks-gitops synth\n`,
    );
  });

  test('platform.yaml starts with the $schema line of the packaged schema, and validates with the loader and that schema', () => {
    const text = read(dir, 'platform.yaml');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/cdk-eks-gitops/platform.schema.json');
    // The schema the line points at is one of the package's files.
    expect(JSON.parse(read(repoPath(), 'package.json')).files).toContain('platform.schema.json');

    const spec = PlatformSpecLoader.fromFile(join(dir, 'platform.yaml'));
    expect(spec).toMatchObject({
      name: 'shop',
      aws: { region: 'eu-west-1' },
      github: { owner: 'acme', manifestRepository: { name: 'shop-manifests' } },
      dns: { domain: 'shop.example.com' },
      apps: [{ name: 'main', host: 'shop.shop.example.com', ci: { repository: 'shop-app' } }],
    });
    // No account: synth resolves it from the environment or STS.
    expect(spec.aws.account).toBeUndefined();
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(read(repoPath(), 'platform.schema.json')));
    expect(validate(parse(text)) || validate.errors).toBe(true);
  });

  test('cdk.json runs app.js on plain node, with the feature flags of this repository\'s cdk.json and every other one as the tests leave it', () => {
    const cdkJson = JSON.parse(read(dir, 'cdk.json'));
    expect(cdkJson).toMatchObject({ app: 'node app.js', output: 'cdk.out', context: JSON.parse(read(repoPath(), 'cdk.json')).context });
    expect(cdkJson.context['@aws-cdk/aws-eks:useNativeOidcProvider']).toBe(true);
    // Every other flag at the value aws-cdk-lib gives it unset (what the tests run with), so the
    // templates are the tested ones; the one exception has no unset value (see testedFeatureFlags).
    const others = Object.keys(cdkJson.context).filter((name) => !(name in JSON.parse(read(repoPath(), 'cdk.json')).context));
    expect(others.length).toBeGreaterThan(70);
    const unset = (name: string) => cxapi.FLAGS[name].unconfiguredBehavesLike?.v2 ?? false;
    for (const name of others.filter((n) => n !== cxapi.TARGET_PARTITIONS)) {
      expect({ name, value: cdkJson.context[name] }).toEqual({ name, value: unset(name) });
    }
  });

  test('cdk8s.yaml runs manifests.js on plain node, into dist', () => {
    expect(parse(read(dir, 'cdk8s.yaml'))).toEqual({ language: 'typescript', app: 'node manifests.js', output: 'dist', imports: [] });
  });

  test('the entry points are one call each into the package', () => {
    const code = (file: string) => read(dir, file).split('\n').filter((line) => line && !line.startsWith('//'));
    expect(code('app.js')).toEqual(["require('cdk-eks-gitops').PlatformCdkApp.run();"]);
    expect(code('manifests.js')).toEqual(["require('cdk-eks-gitops').PlatformManifestsApp.run();"]);
  });

  test('vendor/ holds the tarball, byte for byte', () => {
    expect(readdirSync(join(dir, 'vendor'))).toEqual(['cdk-eks-gitops-0.1.0.tgz']);
    expect(readFileSync(join(dir, VENDORED)).equals(readFileSync(TARBALL))).toBe(true);
  });

  test('package.json pins the package, its peer dependencies, cdk-nag and the two CLIs at the versions of package-lock.json', () => {
    const manifest = JSON.parse(read(dir, 'package.json'));
    const lock = JSON.parse(read(repoPath(), 'package-lock.json'));
    const own = JSON.parse(read(repoPath(), 'package.json'));
    const locked = (name: string) => lock.packages[`node_modules/${name}`].version;
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['cdk-eks-gitops', ...Object.keys(own.peerDependencies)].sort());
    // A path inside the repository, relative to its package.json: it resolves in every clone.
    expect(manifest.dependencies['cdk-eks-gitops']).toBe(`file:${VENDORED}`);
    for (const name of Object.keys(own.peerDependencies)) expect(`${name}@${manifest.dependencies[name]}`).toBe(`${name}@${locked(name)}`);
    expect(manifest.devDependencies).toEqual({ 'aws-cdk': locked('aws-cdk'), 'cdk8s-cli': locked('cdk8s-cli') });
    expect(manifest).toMatchObject({ name: 'shop', private: true, scripts: { validate: 'cdk-eks-gitops validate', synth: 'cdk-eks-gitops synth' }, engines: own.engines });
  });

  test('.gitignore ignores node_modules and the three build outputs', () => {
    expect(read(dir, '.gitignore')).toBe('node_modules/\n/cdk.out/\n/dist/\n/ci.out/\n');
  });

  test('refuses to overwrite, naming the files, and writes nothing; --force overwrites them', async () => {
    writeFileSync(join(dir, 'platform.yaml'), 'name: mine\n');
    const refused = await runMain(['init', dir, ...OPTIONS]);
    expect(refused).toEqual({
      status: 1,
      stdout: '',
      stderr: `${dir} holds files init would overwrite: platform.yaml, cdk.json, cdk8s.yaml, app.js, manifests.js, package.json, ${VENDORED}. Nothing was written; --force overwrites them.\n`,
    });
    expect(read(dir, 'platform.yaml')).toBe('name: mine\n');

    expect((await runMain(['init', dir, ...OPTIONS, '--force'])).status).toBe(0);
    expect(PlatformSpecLoader.fromFile(join(dir, 'platform.yaml')).name).toBe('shop');
    // The ignore file had every line already: nothing added twice.
    expect(read(dir, '.gitignore')).toBe('node_modules/\n/cdk.out/\n/dist/\n/ci.out/\n');
  });
});

describe('cdk-eks-gitops init, more cases', () => {
  test('an existing .gitignore is kept and gets the missing lines; an existing README is left alone', async () => {
    const dir = newDir();
    mkdirSync(dir);
    writeFileSync(join(dir, '.gitignore'), '*.log\n/dist/');
    writeFileSync(join(dir, 'README.md'), '# ours\n');
    const { status, stdout } = await runMain(['init', dir, ...PACKAGE]);
    expect(status).toBe(0);
    expect(stdout).toContain(`: platform.yaml, cdk.json, cdk8s.yaml, app.js, manifests.js, package.json, ${VENDORED}, .gitignore (added to)\n`);
    expect(read(dir, '.gitignore')).toBe('*.log\n/dist/\nnode_modules/\n/cdk.out/\n/ci.out/\n');
    expect(read(dir, 'README.md')).toBe('# ours\n');
  });

  test('defaults: the name of the directory when it is a platform name, else "platform"; the region from AWS_REGION', async () => {
    const payments = join(mkdtempSync(join(tmpdir(), 'init-')), 'payments');
    expect((await runMain(['init', payments, ...PACKAGE], { AWS_REGION: 'ap-northeast-1' })).status).toBe(0);
    expect(PlatformSpecLoader.fromFile(join(payments, 'platform.yaml'))).toMatchObject({
      name: 'payments',
      aws: { region: 'ap-northeast-1' },
      github: { owner: 'example-org' },
      dns: { domain: 'example.com' },
    });

    const notAName = join(mkdtempSync(join(tmpdir(), 'init-')), 'Payments_Platform');
    expect((await runMain(['init', notAName, ...PACKAGE])).status).toBe(0);
    expect(PlatformSpecLoader.fromFile(join(notAName, 'platform.yaml'))).toMatchObject({ name: 'platform', aws: { region: 'us-east-1' } });
  });

  test.each([
    [['--name', 'Shop_1'], "cdk-eks-gitops: --name: 'Shop_1' is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)\n"],
    [['--name', 'a-platform-name-too-long'], "cdk-eks-gitops: --name: 'a-platform-name-too-long' is 24 characters; at most 20 allowed\n"],
    [
      ['--region', 'tokyo', '--owner=-acme'],
      "cdk-eks-gitops: 2 options are refused:\n  - --region: 'tokyo' is not allowed; use an AWS region such as ap-northeast-1",
    ],
    [['--domain', ''], "cdk-eks-gitops: --domain '': give a value, or leave the option out for its default\n"],
    [['extra', 'dir'], 'cdk-eks-gitops: one directory at a time: got 2 (extra, dir)\n'],
    [['--owner'], "cdk-eks-gitops: Option '--owner <value>' argument missing\n"],
  ])('a usage mistake (%j): exit 2, naming the option, the value and what is allowed; nothing written', async (args, message) => {
    const dir = newDir();
    const { status, stdout, stderr } = await runMain(['init', ...(args[0] === 'extra' ? [] : [dir]), ...args]);
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr.slice(0, message.length)).toBe(message);
    expect(stderr).toMatch(/\nRun 'cdk-eks-gitops init --help' for usage\.\n$/);
    expect(existsSync(dir)).toBe(false);
  });

  test('--owner with a problem is named too', async () => {
    const { status, stderr } = await runMain(['init', newDir(), '--owner=-acme']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^cdk-eks-gitops: --owner: '-acme' /);
  });

  test('DIR that is a file is a usage mistake (exit 2)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'init-')), 'platform.yaml');
    writeFileSync(file, '');
    expect(await runMain(['init', file])).toEqual({
      status: 2,
      stdout: '',
      stderr: `cdk-eks-gitops: ${file} is a file, not a directory: name the directory of the new platform repository\nRun 'cdk-eks-gitops init --help' for usage.\n`,
    });
  });

  test('--help lists the files and the options', async () => {
    const { status, stdout } = await runMain(['init', '--help']);
    expect(status).toBe(0);
    for (const text of [...FILES, '--name NAME', '--owner OWNER', '--region REGION', '--domain DOMAIN', '--package TARBALL', '--force']) expect(stdout).toContain(text);
  });
});

describe('cdk-eks-gitops init: the dependency on the package', () => {
  test('an unreleased build (this checkout is 0.0.0, as every build until the release pipeline bumps it) refuses to write a dependency no registry has, saying what to do; exit 2, nothing written', async () => {
    const dir = newDir();
    expect(JSON.parse(read(repoPath(), 'package.json')).version).toBe('0.0.0');
    const { status, stdout, stderr } = await runMain(['init', dir, '--name', 'shop']);
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toBe(
      'cdk-eks-gitops: this cdk-eks-gitops is an unreleased build (version 0.0.0), which the npm registry does not have: ' +
        "a repository depending on it could not install. Give init the package's tarball, which it copies into the repository: " +
        '--package cdk-eks-gitops-0.0.0.tgz (npm pack in a clone of cdk-eks-gitops writes it)\n' +
        "Run 'cdk-eks-gitops init --help' for usage.\n",
    );
    expect(existsSync(dir)).toBe(false);
  });

  test('a mistake in the options is reported before the missing --package', async () => {
    const { status, stderr } = await runMain(['init', newDir(), '--name', 'Shop_1']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^cdk-eks-gitops: --name: 'Shop_1' is not a DNS-1123 label/);
  });

  test('--package pins the versions the tarball\'s package.json is tested with, and its Node, not the running package\'s', async () => {
    const own = JSON.parse(read(repoPath(), 'package.json'));
    const other = tarballOf('0.2.0', { devDependencies: { ...own.devDependencies, 'aws-cdk-lib': '2.999.0' }, engines: { node: '>= 22.0.0' } });
    const dir = newDir();
    expect((await runMain(['init', dir, '--package', other])).status).toBe(0);
    const manifest = JSON.parse(read(dir, 'package.json'));
    expect(manifest.dependencies).toMatchObject({ 'cdk-eks-gitops': 'file:vendor/cdk-eks-gitops-0.2.0.tgz', 'aws-cdk-lib': '2.999.0', 'constructs': own.devDependencies.constructs });
    expect(manifest.engines).toEqual({ node: '>= 22.0.0' });
  });

  test.each([
    ['a missing file', () => '/nonexistent/cdk-eks-gitops-0.1.0.tgz', (p: string) => `--package ${p}: no such file; name the package's tarball, a .tgz from npm pack`],
    ['a directory', () => tmpdir(), (p: string) => `--package ${p} is a directory; name the package's tarball, a .tgz from npm pack`],
    ['an empty value', () => '', () => "--package '': name the package's tarball, a .tgz from npm pack"],
    ['another package\'s tarball', () => tarballOf('1.2.3', { name: 'left-pad' }), (p: string) => `--package ${p} is a tarball of left-pad@1.2.3, not of cdk-eks-gitops`],
  ])('--package with %s: exit 2, naming the value and what is allowed; nothing written', async (_, value, message) => {
    const dir = newDir();
    const path = value();
    const { status, stdout, stderr } = await runMain(['init', dir, '--package', path]);
    expect({ status, stdout, stderr }).toEqual({ status: 2, stdout: '', stderr: `cdk-eks-gitops: ${message(path)}\nRun 'cdk-eks-gitops init --help' for usage.\n` });
    expect(existsSync(dir)).toBe(false);
  });

  test.each([
    ['not gzipped', (file: string) => writeFileSync(file, 'name: shop\n'), /^cdk-eks-gitops: --package \S+ is not a package tarball \(a \.tgz from npm pack\): incorrect header check\n/],
    ['a tar without package/package.json', (file: string) => {
      const dir = dirname(file);
      writeFileSync(join(dir, 'README.md'), 'x');
      execFileSync('tar', ['-czf', file, 'README.md'], { cwd: dir });
    }, /^cdk-eks-gitops: --package \S+ is not a package tarball \(a \.tgz from npm pack\): it holds no package\/package\.json\n/],
  ])('--package with a file that is %s: exit 2, one sentence', async (_, make, message) => {
    const file = join(mkdtempSync(join(tmpdir(), 'not-a-tarball-')), 'cdk-eks-gitops-0.1.0.tgz');
    make(file);
    const { status, stderr } = await runMain(['init', newDir(), '--package', file]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(STACK_TRACE);
  });
});

describe('a repository made by init, in its working directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'init-cwd-'));
  let init: ReturnType<typeof runCli>;
  beforeAll(() => {
    init = runCli(['init', '--name', 'shop', ...PACKAGE], { cwd: dir });
  });

  test('init without DIR writes into the working directory', () => {
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/^Wrote a platform repository in \.: /);
    expect(init.stdout).not.toContain('  cd ');
    expect(readdirSync(dir).sort()).toEqual(FILES);
  });

  test('manifests.js (cdk8s.yaml\'s app) writes the manifest tree to dist/ and the workflows to ci.out/', () => {
    const { status, stderr } = runEntryPoint(dir, 'manifests.js', { AWS_ACCOUNT_ID: '111122223333' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['README.md', 'argocd', 'argocd_image_updater', 'main']);
    expect(read(join(dir, 'dist'), 'main/overlays/production/kustomization.yaml')).toContain('111122223333.dkr.ecr.us-east-1.amazonaws.com/shop/main/app');
    expect(readdirSync(join(dir, 'ci.out', 'shop-app', '.github', 'workflows'))).toEqual(['release-main.yml']);
  });

  test('app.js (cdk.json\'s app) reads the spec -c spec=FILE names, and reports a problem in one message', () => {
    const { status, stdout, stderr } = runEntryPoint(dir, 'app.js', { CDK_CONTEXT_JSON: JSON.stringify({ spec: 'staging.yaml' }), CDK_OUTDIR: join(dir, 'cdk.out') });
    expect({ status, stdout, stderr }).toEqual({ status: 1, stdout: '', stderr: 'staging.yaml: 1 problem\n  - (file): cannot read the spec: no such file\n' });
  });
});
