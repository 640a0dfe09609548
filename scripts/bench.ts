// Measures, first, the sandbox synth two ways side by side: `npm run synth` (cdk synth, then cdk8s
// synth: four node processes and the npm and projen runners) and `cdk-eks-gitops synth` (both apps in
// one process), by the CPU time (user + sys) of each process tree, and checks that both write the
// same cloud assembly and trees. Then `cdk-eks-gitops synth` (compiled) of platforms of 1, 10, 50
// and 200 applications (CPU, wall, peak memory, and the CPU against one application's), and of the
// sandbox beside EKS Blueprints' `cdk synth` of a comparable app (BLUEPRINTS_DIR, an installed copy
// of ../shared/bench/blueprints-anchor), alternating. Then both programs for the sandbox, for
// generated platforms of 10 and 50 applications, and for the two-environment example and a
// five-environment platform (four accounts, two regions): synth wall time and peak memory (GNU
// time), template bytes, resource / Lambda / custom resource / nested stack counts per stack, and
// the manifest tree; and the checkout writer on 200 applications, beyond the synth (a first write
// into a fresh Git checkout, and a second that changes nothing). Then the test suite: what each
// part of `npm test` costs (the prerequisites, the type-check and eslint from nothing and again on
// their kept state), one jest run of the whole suite on two workers (wall, CPU, peak memory), and
// from that run each suite (a directory of test/) and the ten slowest and the ten costliest test
// files: wall time from jest's --json report, the CPU of each file and of the processes it started
// from test/support/test-file-cpu.ts. `--no-tests` leaves the tests out,
// `--tests` measures only them. Prints tables; writes nothing in the repo except bench-out/, .cache/
// and the outputs of `npm run synth` (cdk.out/, dist/, ci.out/), all ignored by git.
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { parse, stringify } from 'yaml';
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import { CheckoutWriter } from '../lib/output/checkout-writer';
import { PlatformSpecLoader } from '../lib/platform/loader';
import { Platform } from '../lib/platform/platform';
import { specWithEnvironments } from '../test/fixtures';

const OUT = 'bench-out';

/** Applications per stack in the generated specs that split them (`specFor(n, { stacks: true })`). */
const APPS_PER_STACK = 40;
const TIME = '/usr/bin/time';

interface Run {
  seconds: number;
  peakMiB: number;
  /** User plus system CPU seconds of the command and every process it waited for. */
  cpuSeconds: number;
}

/** Runs a command under GNU time; returns wall seconds, CPU seconds and peak resident memory of the process tree's largest process. */
function timed(command: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Run {
  const report = join(process.cwd(), OUT, 'time.txt');
  execFileSync(TIME, ['-f', '%e %M %U %S', '-o', report, ...command], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env }, cwd });
  const [seconds, kib, user, sys] = readFileSync(report, 'utf8').trim().split(/\s+/).map(Number);
  return { seconds, peakMiB: Math.round(kib / 1024), cpuSeconds: user + sys };
}

/** The run with the median CPU time. */
function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.cpuSeconds - b.cpuSeconds)[Math.floor(runs.length / 2)];
}

/**
 * A spec with `apps` applications shaped like the sandbox's. With `stacks`, beyond 40 applications
 * they go 40 to a stack of their own (apps[].stack): a single stack holds about 40 within
 * CloudFormation's 500 resources.
 */
function specFor(apps: number, { stacks = false }: { stacks?: boolean } = {}): string {
  const sandbox = parse(readFileSync('examples/sandbox/platform.yaml', 'utf8'));
  const template = sandbox.apps[0];
  sandbox.apps = Array.from({ length: apps }, (_, i) => ({
    ...template,
    name: `app${i + 1}`,
    namespace: `app${i + 1}`,
    host: `app${i + 1}.example.com`,
    ci: { ...template.ci, repository: `app${i + 1}` },
    ...(stacks && apps > APPS_PER_STACK ? { stack: `apps${Math.floor(i / APPS_PER_STACK) + 1}` } : {}),
  }));
  const path = join(OUT, `platform-${apps}${stacks ? '-stacks' : ''}.yaml`);
  // No aliases: 200 apps sharing the template objects would exceed the YAML reader's alias limit.
  writeFileSync(path, stringify(sandbox, { aliasDuplicateObjects: false }));
  return path;
}

/** The five-environment platform the tests use (test/fixtures.ts), as a spec file. */
function specWithEnvironmentsFile(count: number): string {
  const path = join(OUT, `platform-${count}-environments.yaml`);
  writeFileSync(path, stringify(specWithEnvironments(count), { aliasDuplicateObjects: false }));
  return path;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function measure(label: string, spec: string) {
  const cdkOut = join(OUT, `cdk.out-${label}`);
  const dist = join(OUT, `dist-${label}`);
  const cdk = timed(['npx', 'cdk', 'synth', '--quiet', '-c', `spec=${spec}`, '-o', cdkOut]);
  // The manifests of several environments come from the cdk8s app once it writes them all; until
  // then its refusal is reported, and the CDK side is measured on its own.
  let cdk8s: Run | undefined;
  try {
    cdk8s = timed(['npx', 'cdk8s', 'synth', '--no-check-upgrade', '-o', dist], { PLATFORM_SPEC: spec });
  } catch {
    cdk8s = undefined;
  }

  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8'));
  const stacks = Object.entries<any>(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([name, a]) => {
      const path = join(cdkOut, a.properties.templateFile);
      const template = JSON.parse(readFileSync(path, 'utf8'));
      const types = Object.values<any>(template.Resources).map((r) => r.Type as string);
      return {
        name,
        bytes: statSync(path).size,
        resources: types.length,
        lambdas: types.filter((t) => t === 'AWS::Lambda::Function').length,
        customResources: types.filter((t) => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource').length,
        nestedStacks: types.filter((t) => t === 'AWS::CloudFormation::Stack').length,
      };
    });
  const files = cdk8s && existsSync(dist) ? filesUnder(dist) : [];
  return { label, cdk, cdk8s, stacks, manifestFiles: files.length, manifestBytes: files.reduce((n, f) => n + statSync(f).size, 0) };
}

/** The files under `dir`, relative to it, with their content. */
function tree(dir: string): Map<string, Buffer> {
  return new Map(filesUnder(dir).map((path) => [path.slice(dir.length + 1), readFileSync(path)]));
}

/** How two outputs are compared: which files, and what is taken out of a file first. */
interface Comparison {
  readonly compared: (path: string) => boolean;
  readonly normalize?: (path: string, content: Buffer) => string | Buffer;
}

/** What differs between two outputs, file by file, or nothing. */
function differences(label: string, a: string, b: string, { compared, normalize = (_, c) => c }: Comparison): string[] {
  const [left, right] = [tree(a), tree(b)];
  const paths = [...new Set([...left.keys(), ...right.keys()])].filter(compared).sort();
  const same = (p: string) => left.has(p) && right.has(p) && Buffer.from(normalize(p, left.get(p)!)).equals(Buffer.from(normalize(p, right.get(p)!)));
  return paths.filter((p) => !same(p)).map((p) => `${label}/${p}`);
}

/**
 * The cloud assemblies of two programs running the same sources: every file but the ones that record
 * stack traces of the program that ran the app (`*.metadata.json`, `validation-report.json`).
 */
const SAME_SOURCES: Comparison = { compared: (p) => !p.endsWith('.metadata.json') && p !== 'validation-report.json' };

/**
 * The sources (under tsx) against the compiled package: the templates, but for the `AWS::CDK::Metadata`
 * resource, whose analytics name the compiled constructs by their jsii type (and so the template
 * hashes in the other files differ too).
 */
const COMPILED: Comparison = {
  compared: (p) => p.endsWith('.template.json'),
  normalize: (_, content) => {
    const template = JSON.parse(content.toString());
    delete template.Resources.CDKMetadata;
    return JSON.stringify(template);
  },
};

/** Trees the two ways write from the same code: byte for byte. */
const EVERY_FILE: Comparison = { compared: () => true };

const ROUNDS = 3;

/**
 * The sandbox synth as `npm run synth` does it and as `cdk-eks-gitops synth` does it, alternately,
 * ROUNDS times each; the median CPU time of each, and whether their outputs are the same.
 */
function measureOneProcess() {
  const cli = join(OUT, 'one-process');
  const programs: { label: string; command: string[]; out: string; comparison?: Comparison }[] = [
    { label: 'npm run synth (cdk synth, cdk8s synth)', command: ['npm', 'run', '--silent', 'synth'], out: '.' },
    {
      label: 'cdk-eks-gitops synth (tsx lib/cli/main.ts)',
      command: ['node_modules/.bin/tsx', 'lib/cli/main.ts', 'synth', '--spec', 'examples/sandbox/platform.yaml', ...outputs(cli)],
      out: cli,
      comparison: SAME_SOURCES,
    },
  ];
  // What `npx cdk-eks-gitops` runs from an installed package: the compiled build/, which `npm run
  // bench` compiles first (run on its own, the script measures whatever build/ holds).
  if (existsSync('build/cli/main.js')) {
    programs.push({
      label: 'cdk-eks-gitops synth (node build/cli/main.js)',
      command: ['node', 'build/cli/main.js', 'synth', '--spec', 'examples/sandbox/platform.yaml', ...outputs(join(OUT, 'one-process-build'))],
      out: join(OUT, 'one-process-build'),
      comparison: COMPILED,
    });
  }
  // Every program starts from empty outputs, and the comparison sees only what this run wrote.
  for (const dir of ['cdk.out', 'dist', 'ci.out', ...programs.map((p) => p.out).filter((out) => out !== '.')]) rmSync(dir, { recursive: true, force: true });
  const runs = programs.map(() => [] as Run[]);
  for (let round = 0; round < ROUNDS; round++) programs.forEach((p, i) => runs[i].push(timed(p.command)));
  const [baseline, ...others] = programs.map((p, i) => ({ ...p, run: median(runs[i]) }));
  const sameAs = (out: string, comparison: Comparison) => [
    ...differences('cdk.out', 'cdk.out', join(out, 'cdk.out'), comparison),
    ...differences('dist', 'dist', join(out, 'dist'), EVERY_FILE),
    ...differences('ci.out', 'ci.out', join(out, 'ci.out'), EVERY_FILE),
  ];
  return { baseline, others: others.map((o) => ({ ...o, differences: sameAs(o.out, o.comparison!) })) };
}

/** The output options of `cdk-eks-gitops synth` for outputs under `dir`. */
function outputs(dir: string): string[] {
  return ['--out', join(dir, 'cdk.out'), '--manifests', join(dir, 'dist'), '--workflows', join(dir, 'ci.out')];
}

/** Seconds `fn` takes. */
function secondsOf(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

/**
 * The checkout writer alone: the tree is built first (that is the synth), then written into a fresh
 * Git checkout, then written again with nothing to change (what every later synth of an unchanged
 * spec costs).
 */
function measureWriter(apps: number) {
  const files = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromFile(specFor(apps)))).manifestFiles();
  const checkout = join(OUT, `checkout-${apps}`);
  mkdirSync(checkout);
  execFileSync('git', ['init', '-q', checkout]);
  const first = secondsOf(() => new CheckoutWriter({ directory: checkout, files }).apply());
  const second = secondsOf(() => new CheckoutWriter({ directory: checkout, files }).apply());
  return { apps, files: files.length, first, second };
}

/** The suites: each directory of test/ (the package tests apart: `npm run test:package`), and the files at its top. */
function testSuites(): { name: string; paths: string[] }[] {
  const entries = readdirSync('test').sort();
  const dirs = entries.filter((e) => statSync(join('test', e)).isDirectory() && e !== 'package' && filesUnder(join('test', e)).some((f) => f.endsWith('.test.ts')));
  const top = entries.filter((e) => e.endsWith('.test.ts')).map((e) => join('test', e));
  return [...dirs.map((d) => ({ name: `test/${d}/`, paths: [`test/${d}/`] })), { name: 'test/*.test.ts', paths: top }];
}

/** What `npm test` spends, part by part, and jest's figures: the whole suite, each suite, the slowest files. */
function measureTests() {
  // The summary only (no junit report: test-reports/ stays what the last npm test wrote).
  // (--reporters takes several values: a flag after it, so the paths are not taken for reporters.)
  const jest = ['node_modules/.bin/jest', '--reporters=summary', '--maxWorkers=2', '--silent'];
  console.log('\nnpm test, part by part                     CPU s (user+sys)  wall s  peak MiB');
  const part = (label: string, command: string[], before: () => void = () => {}, env: NodeJS.ProcessEnv = {}) => {
    before();
    const run = timed(command, env);
    console.log(`${label.padEnd(42)} ${run.cpuSeconds.toFixed(2).padStart(16)}  ${run.seconds.toFixed(2).padStart(6)}  ${String(run.peakMiB).padStart(8)}`);
    return run;
  };
  part('prerequisites (test:prereqs)', ['node', '--require', 'tsx/cjs', 'test/support/prerequisites.ts']);
  const tsc = ['node', 'scripts/typecheck.js'];
  part('type-check, from nothing', tsc, () => rmSync('.cache/tsc', { recursive: true, force: true }));
  part('type-check, again (nothing changed)', tsc);
  // An edit: a comment added to one test file (taken out after), so tsc reads the program again and
  // checks that file and what depends on it.
  const edited = 'test/fixtures.ts';
  const text = readFileSync(edited, 'utf8');
  try {
    part('type-check, again (one test file edited)', tsc, () => writeFileSync(edited, `${text}// edited\n`));
  } finally {
    writeFileSync(edited, text);
  }
  const eslint = ['node_modules/.bin/eslint', '--ext', '.ts,.tsx', '--cache', '--cache-location', '.cache/eslint/', '--no-error-on-unmatched-pattern',
    'lib', 'test', 'build-tools', 'bin', 'scripts', 'examples', 'projenrc', '.projenrc.ts'];
  const eslintEnv = { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' };
  const lint = (label: string, before?: () => void) => {
    before?.();
    const run = timed(eslint, eslintEnv);
    console.log(`${label.padEnd(42)} ${run.cpuSeconds.toFixed(2).padStart(16)}  ${run.seconds.toFixed(2).padStart(6)}  ${String(run.peakMiB).padStart(8)}`);
  };
  lint('eslint, from nothing', () => rmSync('.cache/eslint', { recursive: true, force: true }));
  lint('eslint, again (cached)');
  const report = join(OUT, 'jest.json');
  // Each file's CPU, its own and its processes', recorded by a setup file (test/support/test-file-cpu.ts).
  const cpuReport = join(process.cwd(), OUT, 'test-file-cpu.jsonl');
  const whole = part(
    'jest, the whole suite (2 workers)',
    [...jest, '--json', `--outputFile=${report}`, '--setupFilesAfterEnv', '<rootDir>/test/support/test-file-cpu.ts'],
    () => rmSync(cpuReport, { force: true }),
    { TEST_FILE_CPU: cpuReport },
  );
  const cpu = new Map<string, { own: number; children: number }>();
  for (const line of readFileSync(cpuReport, 'utf8').trim().split('\n')) {
    const { file, ownSeconds, childrenSeconds } = JSON.parse(line);
    cpu.set(file.slice(process.cwd().length + 1), { own: ownSeconds, children: childrenSeconds });
  }

  type FileResult = { name: string; seconds: number; tests: number; own: number; children: number };
  const results: FileResult[] = JSON.parse(readFileSync(report, 'utf8')).testResults.map((r: any) => {
    const name = r.name.slice(process.cwd().length + 1);
    const { own, children } = cpu.get(name) ?? { own: NaN, children: NaN };
    return { name, seconds: (r.endTime - r.startTime) / 1000, tests: r.assertionResults.length, own, children };
  });
  const tests = results.reduce((n, r) => n + r.tests, 0);
  const sum = (rows: FileResult[], field: 'seconds' | 'tests' | 'own' | 'children') => rows.reduce((n, r) => n + r[field], 0);
  console.log(`jest: ${results.length} files, ${tests} tests, ${whole.seconds.toFixed(1)} s wall, ${whole.cpuSeconds.toFixed(1)} s CPU`);
  console.log(`  of which the test files: ${sum(results, 'own').toFixed(1)} s in jest's workers, ${sum(results, 'children').toFixed(1)} s in the processes they started; the rest jest's own`);

  console.log('\nsuite (in the whole run)   files  tests   wall s  CPU s: own  processes   total');
  for (const suite of testSuites()) {
    const mine = results.filter((r) => suite.paths.some((p) => (p.endsWith('/') ? r.name.startsWith(p) : r.name === p)));
    console.log(
      `${suite.name.padEnd(26)} ${String(mine.length).padStart(5)}  ${String(sum(mine, 'tests')).padStart(5)}  ${sum(mine, 'seconds').toFixed(1).padStart(7)}  ` +
        `${sum(mine, 'own').toFixed(1).padStart(10)}  ${sum(mine, 'children').toFixed(1).padStart(9)}  ${(sum(mine, 'own') + sum(mine, 'children')).toFixed(1).padStart(6)}`,
    );
  }
  const row = (r: FileResult) =>
    `${r.seconds.toFixed(1).padStart(6)}  ${(r.own + r.children).toFixed(1).padStart(6)}  ${r.children.toFixed(1).padStart(9)}  ${String(r.tests).padStart(5)}  ${r.name}`;
  console.log('\nthe ten slowest test files   wall s   CPU s  processes  tests');
  for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 10)) console.log(row(r));
  console.log('\nthe ten costliest in CPU      wall s   CPU s  processes  tests');
  for (const r of [...results].sort((a, b) => b.own + b.children - (a.own + a.children)).slice(0, 10)) console.log(row(r));
}

/** The compiled CLI's synth of `spec` into `dir`, as a command line. */
function cliSynth(spec: string, dir: string): string[] {
  return ['node', 'build/cli/main.js', 'synth', '--spec', spec, ...outputs(dir)];
}

/** Sizes of the synth-scaling table: applications in one platform (40 to a stack beyond 40). */
const SCALING_APPS = [1, 10, 50, 200];

/**
 * `cdk-eks-gitops synth` (the compiled CLI, cdk-nag and the CloudFormation validation on, as by
 * default) of platforms with 1 to 200 applications, the sizes alternating, ROUNDS runs each: the
 * median CPU time (user + sys, which other work on the machine changes less than the wall time),
 * wall time and peak memory, and the CPU against one application's.
 */
function measureSynthScaling() {
  const specs = SCALING_APPS.map((apps) => ({ apps, spec: specFor(apps, { stacks: true }) }));
  const runs = specs.map(() => [] as Run[]);
  for (let round = 0; round < ROUNDS; round++) {
    specs.forEach(({ apps, spec }, i) => {
      const dir = join(OUT, `scaling-${apps}`);
      rmSync(dir, { recursive: true, force: true });
      runs[i].push(timed(cliSynth(spec, dir)));
    });
  }
  return specs.map(({ apps }, i) => {
    const manifest = JSON.parse(readFileSync(join(OUT, `scaling-${apps}`, 'cdk.out', 'manifest.json'), 'utf8'));
    const stacks = Object.values<any>(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack').length;
    return { apps, stacks, run: median(runs[i]) };
  });
}

function printSynthScaling(rows: ReturnType<typeof measureSynthScaling>): void {
  const one = rows[0].run.cpuSeconds;
  console.log(`\ncdk-eks-gitops synth (node build/cli/main.js, cdk-nag and validation on), median of ${ROUNDS}`);
  console.log('apps  stacks  CPU s (user+sys)  x one app  wall s  peak MiB');
  for (const { apps, stacks, run } of rows) {
    console.log(
      `${String(apps).padStart(4)}  ${String(stacks).padStart(6)}  ${run.cpuSeconds.toFixed(2).padStart(16)}  ${(run.cpuSeconds / one).toFixed(2).padStart(9)}  ` +
        `${run.seconds.toFixed(2).padStart(6)}  ${String(run.peakMiB).padStart(8)}`,
    );
  }
}

/** Rounds of the side-by-side with EKS Blueprints. */
const BLUEPRINTS_ROUNDS = 5;

/** Ours against Blueprints' CPU, measured on another machine before this bench measured it: for reference only. */
const BLUEPRINTS_REFERENCE = 0.74;

/**
 * The Blueprints app to compare with (a small EKS Blueprints 1.19 app with the add-ons closest to
 * ours, on the same aws-cdk-lib): `BLUEPRINTS_DIR` if set, an installed copy used as it is, or
 * `../shared/bench/blueprints-anchor`, copied into bench-out/ and installed there as its README says
 * (`npm install --legacy-peer-deps`, which needs the npm registry). Undefined, with the reason, when
 * neither can run.
 */
function blueprintsApp(): { dir?: string; why?: string } {
  const given = process.env.BLUEPRINTS_DIR;
  if (given) return existsSync(join(given, 'node_modules')) ? { dir: given } : { why: `BLUEPRINTS_DIR=${given} has no node_modules: install it first (npm install --legacy-peer-deps)` };
  const source = join('..', 'shared', 'bench', 'blueprints-anchor');
  if (!existsSync(source)) return { why: `no Blueprints app: neither BLUEPRINTS_DIR nor ${source}` };
  const dir = join(OUT, 'blueprints-anchor');
  cpSync(source, dir, { recursive: true });
  // The copy keeps the source's modes, read-only where it is shared.
  execFileSync('chmod', ['-R', 'u+w', dir]);
  try {
    execFileSync('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
  } catch (e) {
    return { why: `the Blueprints app does not install here (${(e as Error).message.split('\n')[0]})` };
  }
  return { dir };
}

/**
 * The sandbox's `cdk-eks-gitops synth` (compiled CLI) beside Blueprints' `cdk synth` of its app, on
 * this machine, alternating, BLUEPRINTS_ROUNDS each: the median CPU time of each and their ratio.
 */
function measureBlueprints() {
  const app = blueprintsApp();
  if (!app.dir) return { why: app.why! };
  const ours: Run[] = [];
  const theirs: Run[] = [];
  const cdkOut = join(process.cwd(), OUT, 'blueprints.out');
  for (let round = 0; round < BLUEPRINTS_ROUNDS; round++) {
    const dir = join(OUT, 'beside-blueprints');
    rmSync(dir, { recursive: true, force: true });
    ours.push(timed(cliSynth('examples/sandbox/platform.yaml', dir)));
    rmSync(cdkOut, { recursive: true, force: true });
    theirs.push(timed(['npx', 'cdk', 'synth', '--quiet', '-o', cdkOut], {}, app.dir));
  }
  return { ours: median(ours), blueprints: median(theirs) };
}

function printBlueprints(result: ReturnType<typeof measureBlueprints>): void {
  console.log(`\nsandbox synth beside EKS Blueprints' cdk synth, alternating, median of ${BLUEPRINTS_ROUNDS}   CPU s (user+sys)  wall s  peak MiB`);
  if ('why' in result) {
    console.log(`not measured: ${result.why}; for reference only, ${BLUEPRINTS_REFERENCE}x of Blueprints' CPU was measured before on another machine`);
    return;
  }
  for (const [label, run] of [['cdk-eks-gitops synth (node build/cli/main.js)', result.ours], ["Blueprints' cdk synth", result.blueprints]] as const) {
    console.log(`${label.padEnd(76)} ${run.cpuSeconds.toFixed(2).padStart(16)}  ${run.seconds.toFixed(2).padStart(6)}  ${String(run.peakMiB).padStart(8)}`);
  }
  console.log(`ours / Blueprints' CPU: ${(result.ours.cpuSeconds / result.blueprints.cpuSeconds).toFixed(2)}x (wall ${(result.ours.seconds / result.blueprints.seconds).toFixed(2)}x)`);
}

function main() {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed to measure CPU time and peak memory: apt-get install time`);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const args = process.argv.slice(2);
  if (args.includes('--tests')) return measureTests();

  const oneProcess = measureOneProcess();
  const { baseline } = oneProcess;
  console.log(`\nsandbox synth, median of ${ROUNDS} runs            CPU s (user+sys)  of npm run synth  wall s  peak MiB`);
  for (const r of [baseline, ...oneProcess.others]) {
    const share = `${Math.round((100 * r.run.cpuSeconds) / baseline.run.cpuSeconds)}%`;
    console.log(`${r.label.padEnd(48)} ${r.run.cpuSeconds.toFixed(2).padStart(16)}  ${share.padStart(16)}  ${r.run.seconds.toFixed(2).padStart(6)}  ${String(r.run.peakMiB).padStart(8)}`);
  }
  for (const r of oneProcess.others) {
    const what = r.comparison === COMPILED ? 'templates (but the CDK::Metadata analytics)' : 'cloud assembly (but the stack traces it records)';
    const same = r.differences.length ? `DIFFERENT from npm run synth: ${r.differences.join(', ')}` : `the same ${what}, manifest tree and workflows as npm run synth`;
    console.log(`${r.label}: ${same}`);
  }

  if (existsSync('build/cli/main.js')) {
    printSynthScaling(measureSynthScaling());
    printBlueprints(measureBlueprints());
  }

  const results = [
    measure('sandbox', 'examples/sandbox/platform.yaml'),
    measure('10-apps', specFor(10)),
    measure('50-apps', specFor(50)),
    measure('2-environments', 'examples/two-environments/platform.yaml'),
    measure('5-environments', specWithEnvironmentsFile(5)),
  ];

  console.log('\nsynth                         wall s  peak MiB  stacks  bytes    resources');
  for (const r of results) {
    const bytes = r.stacks.reduce((n, s) => n + s.bytes, 0);
    const resources = r.stacks.reduce((n, s) => n + s.resources, 0);
    console.log(
      `${`cdk synth   ${r.label}`.padEnd(29)} ${r.cdk.seconds.toFixed(2).padStart(6)}  ${String(r.cdk.peakMiB).padStart(8)}  ${String(r.stacks.length).padStart(6)}  ` +
        `${String(bytes).padStart(7)}  ${String(resources).padStart(9)}`,
    );
    const manifests = r.cdk8s ? `${r.cdk8s.seconds.toFixed(2).padStart(6)}  ${String(r.cdk8s.peakMiB).padStart(8)}` : '  (the cdk8s app refused this spec)';
    console.log(`${`cdk8s synth ${r.label}`.padEnd(29)} ${manifests}`);
  }
  console.log('\nstack                                        bytes  resources  lambdas  custom  nested');
  for (const r of results) {
    for (const s of r.stacks) {
      console.log(
        `${`${r.label}: ${s.name}`.padEnd(44)} ${String(s.bytes).padStart(7)}  ${String(s.resources).padStart(9)}  ${String(s.lambdas).padStart(7)}  ${String(s.customResources).padStart(6)}  ${String(s.nestedStacks).padStart(6)}`,
      );
    }
  }
  console.log('\nmanifest tree              files    bytes');
  for (const r of results.filter((x) => x.cdk8s)) console.log(`${r.label.padEnd(26)} ${String(r.manifestFiles).padStart(5)}  ${String(r.manifestBytes).padStart(7)}`);

  const writer = measureWriter(200);
  console.log(`\ncheckout writer, ${writer.apps} apps (${writer.files} files), beyond the synth   wall s`);
  console.log(`first write into a fresh git checkout                        ${writer.first.toFixed(2).padStart(6)}`);
  console.log(`second write, nothing to change                              ${writer.second.toFixed(2).padStart(6)}`);

  const total = (label: string) => results.find((r) => r.label === label)!.stacks.reduce((n, s) => n + s.resources, 0);
  console.log(`\nresources per added app (10 -> 50 apps): ${((total('50-apps') - total('10-apps')) / 40).toFixed(2)}`);

  if (!args.includes('--no-tests')) measureTests();
}

main();
