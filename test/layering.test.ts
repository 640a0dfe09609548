import { spawnSync } from 'child_process';
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import * as ts from 'typescript';
import { repoPath } from './fixtures';
import { compiledPath } from './support/compiled-programs';

/**
 * The layers of lib/, lowest first: a module may import from its own layer and the layers below it,
 * never from one above. Each entry names top-level folders or files of lib/.
 *
 * - the model (model/): the platform spec described, validated and resolved; it knows no construct
 *   and no file;
 * - output: generated files, YAML, and the writer that puts them into checkouts or build directories;
 *   it knows the spec's vocabulary at most, so every producer below can hand it files;
 * - the constructs: add-ons (one folder each: its definition, AWS side and charts), CDK (aws) and
 *   cdk8s (k8s) constructs, built from the resolved platform;
 * - the spec's entry points (platform/): `PlatformSpecLoader` and `Platform`, which give the model the
 *   add-ons a platform uses, the built-in ones unless told: the model is given add-ons, never finds them;
 * - the trees: the manifest repository and the application repositories' workflows, made of the
 *   constructs' output and written through the output layer;
 * - the programs: the CDK and cdk8s apps of a platform repository, and operations (teardown);
 * - the CLI, which runs the programs;
 * - lib/index.ts, the public API, which names anything.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['versions.ts', 'model'],
  ['output'],
  ['addons', 'aws', 'k8s'],
  ['platform'],
  ['manifests', 'ci'],
  ['app', 'ops'],
  ['cli'],
  ['index.ts'],
];

/**
 * Arrows that point up and are known: none today (the model's last ones, to the promotion workflow's
 * and the GitHub OIDC subjects' constants, went when those moved into the model). An entry must still
 * exist, so the list only shrinks, and no new arrow can hide in it.
 */
const KNOWN_UPWARD: readonly string[] = [];

const LIB = repoPath('lib');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The import graph of lib/, module by module (paths relative to lib/). The TypeScript compiler's
 * pre-processor reads every import, export-from, `import type` and dynamic `import()` without type
 * checking, so the graph takes milliseconds; type-only imports count, since they tie two modules'
 * designs together just as much.
 */
function importGraph(): Map<string, string[]> {
  const files = sourceFiles(LIB);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((ref) => ref.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => {
        const base = resolve(dirname(file), name);
        const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => known.has(candidate));
        if (!target) throw new Error(`${relative(LIB, file)} imports ${name}, which is no module of lib/`);
        return relative(LIB, target);
      });
    graph.set(relative(LIB, file), [...new Set(targets)].sort());
  }
  return graph;
}

function layerOf(module: string): number {
  const top = module.split('/')[0];
  const layer = LAYERS.findIndex((entries) => entries.includes(top));
  if (layer < 0) throw new Error(`lib/${top} belongs to no layer: add it to LAYERS in test/layering.test.ts`);
  return layer;
}

/** Every import circle, as the modules of each strongly connected component (Tarjan's algorithm). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  [...graph.keys()].sort().forEach((node) => index.has(node) || visit(node));
  return found;
}

describe('the layers of lib/', () => {
  const graph = importGraph();

  test('every module belongs to a layer', () => {
    expect(() => [...graph.keys()].forEach(layerOf)).not.toThrow();
  });

  test('no import circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  test('no arrow from a lower layer to a higher one, beyond the known ones', () => {
    const upward = [...graph.entries()]
      .flatMap(([from, targets]) => targets.filter((to) => layerOf(to) > layerOf(from)).map((to) => `${from} -> ${to}`))
      .sort();
    expect(upward.filter((arrow) => !KNOWN_UPWARD.includes(arrow))).toEqual([]);
    // A known arrow that is gone must leave the list.
    expect(KNOWN_UPWARD.filter((arrow) => !upward.includes(arrow))).toEqual([]);
  });

  test('the check sees circles and upward arrows', () => {
    // The same functions on a small graph with one circle and one upward arrow, so a broken check
    // cannot pass silently.
    const sample = new Map([
      ['model/a.ts', ['model/b.ts']],
      ['model/b.ts', ['model/a.ts', 'cli/c.ts']],
      ['cli/c.ts', []],
    ]);
    expect(circles(sample)).toEqual([['model/a.ts', 'model/b.ts']]);
    expect(layerOf('cli/c.ts')).toBeGreaterThan(layerOf('model/b.ts'));
    // The model is below the add-ons, and the add-ons below the entry points that default to them.
    expect(layerOf('addons/built-in.ts')).toBeGreaterThan(layerOf('model/resolve.ts'));
    expect(layerOf('platform/platform.ts')).toBeGreaterThan(layerOf('addons/built-in.ts'));
  });

  test('the model, given its add-ons, loads none: validating and resolving a spec loads no EKS construct', () => {
    // A process of its own, since this one has loaded the constructs already. Before the add-ons were
    // an input, lib/model loaded them all, and aws-eks-v2 with them.
    const script = `
      const { validateSpec } = require(${JSON.stringify(compiledPath('lib/model/validate.ts'))});
      const { resolveEnvironments } = require(${JSON.stringify(compiledPath('lib/model/resolve.ts'))});
      const { parse } = require(${JSON.stringify(require.resolve('yaml'))});
      const spec = parse(require('fs').readFileSync(${JSON.stringify(repoPath('examples', 'sandbox', 'platform.yaml'))}, 'utf8'));
      const problems = validateSpec(spec, []);
      const platforms = resolveEnvironments(spec, () => '123456789012', []);
      const loaded = Object.keys(require.cache).filter((path) => path.includes('aws-eks-v2'));
      console.log(JSON.stringify({ problems, environments: platforms.length, loaded }));`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: repoPath(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ problems: [], environments: 1, loaded: [] });
  });
});
