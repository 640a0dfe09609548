// Measures both programs for the sandbox and for generated platforms of 10 and 50 applications:
// synth wall time and peak memory (GNU time), template bytes, resource / Lambda / custom resource /
// nested stack counts per stack, and the manifest tree; and the checkout writer on 200 applications,
// beyond the synth (a first write into a fresh Git checkout, and a second that changes nothing).
// Prints tables; writes nothing in the repo except bench-out/ (ignored by git).
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { parse, stringify } from 'yaml';
import { CheckoutWriter } from '../lib/manifests/checkout-writer';
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import { PlatformSpecLoader } from '../lib/spec/loader';
import { Platform } from '../lib/spec/platform';

const OUT = 'bench-out';
const TIME = '/usr/bin/time';

interface Run {
  seconds: number;
  peakMiB: number;
}

/** Runs a command under GNU time; returns wall seconds and peak resident memory of the process tree's largest process. */
function timed(command: string[], env: NodeJS.ProcessEnv = {}): Run {
  const report = join(OUT, 'time.txt');
  execFileSync(TIME, ['-f', '%e %M', '-o', report, ...command], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  const [seconds, kib] = readFileSync(report, 'utf8').trim().split(/\s+/).map(Number);
  return { seconds, peakMiB: Math.round(kib / 1024) };
}

function specFor(apps: number): string {
  const sandbox = parse(readFileSync('examples/sandbox/platform.yaml', 'utf8'));
  const template = sandbox.apps[0];
  sandbox.apps = Array.from({ length: apps }, (_, i) => ({
    ...template,
    name: `app${i + 1}`,
    namespace: `app${i + 1}`,
    host: `app${i + 1}.example.com`,
    ci: { ...template.ci, repository: `app${i + 1}` },
  }));
  const path = join(OUT, `platform-${apps}.yaml`);
  // No aliases: 200 apps sharing the template objects would exceed the YAML reader's alias limit.
  writeFileSync(path, stringify(sandbox, { aliasDuplicateObjects: false }));
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
  const cdk8s = timed(['npx', 'cdk8s', 'synth', '--no-check-upgrade', '-o', dist], { PLATFORM_SPEC: spec });

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
  const files = filesUnder(dist);
  return { label, cdk, cdk8s, stacks, manifestFiles: files.length, manifestBytes: files.reduce((n, f) => n + statSync(f).size, 0) };
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

function main() {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed to measure peak memory: apt-get install time`);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const results = [
    measure('sandbox', 'examples/sandbox/platform.yaml'),
    measure('10-apps', specFor(10)),
    measure('50-apps', specFor(50)),
  ];

  console.log('\nsynth                      wall s  peak MiB');
  for (const r of results) {
    console.log(`${`cdk synth   ${r.label}`.padEnd(26)} ${r.cdk.seconds.toFixed(2).padStart(6)}  ${String(r.cdk.peakMiB).padStart(8)}`);
    console.log(`${`cdk8s synth ${r.label}`.padEnd(26)} ${r.cdk8s.seconds.toFixed(2).padStart(6)}  ${String(r.cdk8s.peakMiB).padStart(8)}`);
  }
  console.log('\nstack                      bytes  resources  lambdas  custom  nested');
  for (const r of results) {
    for (const s of r.stacks) {
      console.log(
        `${`${r.label}: ${s.name}`.padEnd(26)} ${String(s.bytes).padStart(7)}  ${String(s.resources).padStart(9)}  ${String(s.lambdas).padStart(7)}  ${String(s.customResources).padStart(6)}  ${String(s.nestedStacks).padStart(6)}`,
      );
    }
  }
  console.log('\nmanifest tree              files    bytes');
  for (const r of results) console.log(`${r.label.padEnd(26)} ${String(r.manifestFiles).padStart(5)}  ${String(r.manifestBytes).padStart(7)}`);

  const writer = measureWriter(200);
  console.log(`\ncheckout writer, ${writer.apps} apps (${writer.files} files), beyond the synth   wall s`);
  console.log(`first write into a fresh git checkout                        ${writer.first.toFixed(2).padStart(6)}`);
  console.log(`second write, nothing to change                              ${writer.second.toFixed(2).padStart(6)}`);

  const total = (label: string) => results.find((r) => r.label === label)!.stacks.reduce((n, s) => n + s.resources, 0);
  console.log(`\nresources per added app (10 -> 50 apps): ${((total('50-apps') - total('10-apps')) / 40).toFixed(2)}`);
}

main();
