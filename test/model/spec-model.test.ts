// lib/model/types.ts (the TypeScript interfaces, with their `@default` tags) and platform.schema.json are
// both generated from the spec's description, lib/model/platform-shape.ts (generated-spec-files.test.ts
// holds them current). These tests prove the generated sides agree as a user meets them: a TypeScript
// consumer can set every field the schema accepts, every interface property is in the schema, a
// default stated in both is the same default, and docs/spec-reference.md gives the same defaults.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';
import { withDefaults } from '../../lib/model/defaults';
import { DEFAULT_KUBERNETES_VERSION } from '../../lib/model/kubernetes-versions';
import * as types from '../../lib/model/types';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec, twoEnvironmentsSpec } from '../fixtures';

type Schema = { [key: string]: any };

const schema: Schema = JSON.parse(readFileSync(repoPath('platform.schema.json'), 'utf8'));

/** Every field of a schema, by path (`apps[].containers[].resources.cpuRequest`), the way docs/spec-reference.md names them. */
function schemaFields(node: Schema, path = '', into = new Map<string, Schema>()): Map<string, Schema> {
  if (path) into.set(path, node);
  if (node.type === 'object' && node.properties) {
    for (const [key, child] of Object.entries<Schema>(node.properties)) schemaFields(child, path ? `${path}.${key}` : key, into);
  } else if (node.type === 'array') {
    schemaFields(node.items, `${path}[]`, into);
  }
  return into;
}

const ALL_NODES = schemaFields(schema);
/** The named fields: not the `[]` entries of lists. */
const FIELDS = new Map([...ALL_NODES].filter(([path]) => !path.endsWith('[]')));

/** The TypeScript enums of types.ts, by their values: a schema enum with the same values is typed by it. */
const ENUMS = Object.entries(types)
  .filter(([, value]) => typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string'))
  .map(([name, value]) => ({ name, members: value as { [member: string]: string } }));

/** The TypeScript expression of one value of a schema node: every property of an object, one entry of a list or a map. */
function valueOf(node: Schema): string {
  if (node.type === 'object' && node.properties) {
    return `{ ${Object.entries<Schema>(node.properties).map(([key, child]) => `${JSON.stringify(key)}: ${valueOf(child)}`).join(', ')} }`;
  }
  if (node.type === 'object') return `{ KEY: ${valueOf(node.additionalProperties)} }`;
  if (node.type === 'array') return `[${valueOf(node.items)}]`;
  if (node.type === 'integer') return '1';
  if (node.type === 'boolean') return 'true';
  if (node.enum) {
    const values = [...node.enum].sort().join(',');
    const typed = ENUMS.find((e) => Object.values(e.members).sort().join(',') === values);
    if (typed) return `types.${typed.name}.${Object.keys(typed.members).find((m) => typed.members[m] === node.enum[0])}`;
    return JSON.stringify(node.enum[0]);
  }
  return '"text"';
}

/** Type-checks a TypeScript file against lib/model/types.ts, in this process; returns its errors, one line each. */
function typeErrors(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'spec-model-'));
  try {
    const file = join(dir, 'consumer.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TYPES_MODULE = repoPath('lib', 'model', 'types');
const program = ts.createProgram([`${TYPES_MODULE}.ts`], { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] });
const checker = program.getTypeChecker();

interface InterfaceField {
  /** The `@default` tag's text, if any. */
  readonly default?: string;
}

/** Every property of `PlatformSpec` and the interfaces under it, by path, with its `@default`. */
function interfaceFields(): Map<string, InterfaceField> {
  const sourceFile = program.getSourceFile(`${TYPES_MODULE}.ts`)!;
  const root = checker.getExportsOfModule(checker.getSymbolAtLocation(sourceFile)!).find((s) => s.name === 'PlatformSpec')!;
  const into = new Map<string, InterfaceField>();
  const walk = (type: ts.Type, path: string, depth: number) => {
    if (depth > 8) throw new Error(`interfaceFields: ${path} nests too deep`);
    const plain = checker.getNonNullableType(type);
    if (checker.isArrayType(plain)) return walk(checker.getTypeArguments(plain as ts.TypeReference)[0], `${path}[]`, depth + 1);
    // Objects of named fields; not maps (an index signature: `env`), enums or primitives.
    // eslint-disable-next-line no-bitwise
    if (!(plain.flags & ts.TypeFlags.Object) || checker.getIndexInfosOfType(plain).length > 0) return;
    for (const property of checker.getPropertiesOfType(plain)) {
      const propertyPath = path ? `${path}.${property.name}` : property.name;
      const tag = property.getJsDocTags(checker).find((t) => t.name === 'default');
      into.set(propertyPath, { default: tag ? ts.displayPartsToString(tag.text).trim() : undefined });
      walk(checker.getTypeOfSymbol(property), propertyPath, depth + 1);
    }
  };
  walk(checker.getDeclaredTypeOfSymbol(root), '', 0);
  return into;
}

const INTERFACE_FIELDS = interfaceFields();

/** The value of a literal `@default` (`'main'`, `2`, `true`, `['v*']`, `WorkloadIdentity.IRSA`), or undefined for prose (`- the platform name`). */
function literalDefault(text: string): unknown {
  // A derived name (`'<platform>/<app>/<container>'`) is a rule, not a value the schema could hold.
  if (text.startsWith('-') || /^'[^']*</.test(text)) return undefined;
  // A literal may be followed by ` - why`.
  const literal = text.split(' - ')[0].trim();
  const member = /^(\w+)\.(\w+)$/.exec(literal);
  if (member) return (types as any)[member[1]][member[2]];
  return JSON.parse(literal.replace(/'/g, '"').replace(/\\\*/g, '*'));
}

describe('a TypeScript consumer can set every field the schema accepts', () => {
  test('an object with every field of the schema, one value each, type-checks as a PlatformSpec', () => {
    const source = `import * as types from ${JSON.stringify(TYPES_MODULE)};\nexport const spec: types.PlatformSpec = ${valueOf(schema)};\n`;
    // Every schema path is in the object (a list has its one entry, a map its one key).
    expect((source.match(/": /g) ?? []).length).toBe(FIELDS.size);
    expect(typeErrors(source)).toEqual([]);
  });

  test('the check fails for a field the interfaces lack, naming it', () => {
    const source = `import * as types from ${JSON.stringify(TYPES_MODULE)};\nexport const addons: types.AddonsSpec = { notAnAddon: {} };\n`;
    expect(typeErrors(source).join('\n')).toContain("'notAnAddon' does not exist in type 'AddonsSpec'");
  });

  test('the add-ons YAML may configure are typed: loadBalancerController and vaultPlugin', () => {
    expect([...INTERFACE_FIELDS.keys()]).toEqual(expect.arrayContaining(['addons.loadBalancerController.workloadIdentity', 'addons.vaultPlugin.workloadIdentity']));
  });
});

describe('every property of the interfaces is in the schema', () => {
  test('the walk finds the interfaces\' fields', () => {
    expect(INTERFACE_FIELDS.size).toBeGreaterThan(150);
    expect(INTERFACE_FIELDS.get('cluster.nodes.diskSize')).toEqual({ default: '20' });
  });

  test('no interface property is missing from platform.schema.json, and no schema field from the interfaces', () => {
    expect([...INTERFACE_FIELDS.keys()].filter((path) => !FIELDS.has(path))).toEqual([]);
    expect([...FIELDS.keys()].filter((path) => !INTERFACE_FIELDS.has(path))).toEqual([]);
  });
});

describe('a default stated twice is the same default', () => {
  test('each literal @default of types.ts is the schema\'s default of that field, and each schema default is a literal @default', () => {
    const disagreements: string[] = [];
    for (const [path, field] of FIELDS) {
      const tag = INTERFACE_FIELDS.get(path)?.default;
      // An override position reuses the interface of the top level, whose @default is the top level's.
      if (path.startsWith('environments[].')) continue;
      const literal = tag === undefined ? undefined : literalDefault(tag);
      const schemaDefault = field.default;
      const same = JSON.stringify(literal) === JSON.stringify(schemaDefault);
      if (literal !== undefined && !same) disagreements.push(`${path}: @default ${tag}, schema ${JSON.stringify(schemaDefault)}`);
      if (schemaDefault !== undefined && !same) disagreements.push(`${path}: schema ${JSON.stringify(schemaDefault)}, @default ${tag ?? 'missing'}`);
    }
    expect(disagreements).toEqual([]);
  });

  test('the schema names no default in an override position (environments[]): an unset field there inherits, and says so', () => {
    // Except the controllers: a workload named there replaces that workload of cluster.controllers
    // whole (lib/model/environments.ts), so its unset fields take the workload's defaults.
    const overrides = [...FIELDS].filter(([path]) => path.startsWith('environments[].') && !path.startsWith('environments[].cluster.controllers.'));
    expect(overrides.filter(([, field]) => field.default !== undefined).map(([path]) => path)).toEqual([]);
    // Each field whose top-level twin has a default says where its value comes from.
    const twins = overrides.filter(([path]) => FIELDS.get(path.replace(/^environments\[\]\.(apps\[\]\.)?/, (_, app) => (app ? 'apps[].' : '')))?.default !== undefined);
    expect(twins.map(([path]) => path)).toEqual(expect.arrayContaining(['environments[].cluster.version', 'environments[].cluster.nodes.minSize', 'environments[].apps[].containers[].resources.cpuRequest']));
    expect(twins.filter(([, field]) => !/\(default: inherits [^)]+\)$/.test(field.description)).map(([path]) => path)).toEqual([]);
  });

  test('each schema default is the one docs/spec-reference.md gives', () => {
    const reference = readFileSync(repoPath('docs', 'spec-reference.md'), 'utf8');
    const documented = new Map<string, string>();
    for (const line of reference.split('\n').filter((l) => l.startsWith('| `'))) {
      const [names, defaults] = line.split(' | ').map((cell) => cell.replace(/^\| /, ''));
      const paths = names.split(' / ').map((n) => n.replace(/`/g, ''));
      const values = defaults.split(' / ');
      const parent = paths[0].slice(0, paths[0].lastIndexOf('.') + 1);
      paths.forEach((p, i) => documented.set(p.includes('.') ? p : parent + p, (values.length === paths.length ? values[i] : defaults).replace(/`/g, '')));
    }
    const disagreements = [...FIELDS]
      // The controllers' rows give each workload's defaults (lib/model/controllers.ts), not the schema's.
      .filter(([path, field]) => field.default !== undefined && !/^(environments\[\]\.)?cluster\.controllers\./.test(path))
      // The reference gives `apps[].migration.resources` as "the same fields" as a container's.
      .map(([path, field]): [string, Schema] => [path.replace(/^apps\[\]\.migration\.resources\./, 'apps[].containers[].resources.'), field])
      .filter(([path, field]) => !(documented.get(path) ?? '').startsWith(Array.isArray(field.default) ? `[${field.default.join(', ')}]` : String(field.default)))
      .map(([path, field]) => `${path}: schema ${JSON.stringify(field.default)}, reference ${JSON.stringify(documented.get(path))}`);
    expect(disagreements).toEqual([]);
  });
});

describe('the defaults the docs state are the code\'s', () => {
  test('maxSize is 4, or minSize when that is larger, as types.ts and the schema say', () => {
    const spec = sandboxSpec();
    spec.cluster = { nodes: { minSize: 6 } };
    expect(Platform.resolve(PlatformSpecLoader.fromObject(spec)).cluster.maxSize).toBe(6);
    expect(INTERFACE_FIELDS.get('cluster.nodes.maxSize')?.default).toBe('- 4, or `minSize` when that is larger');
    expect(FIELDS.get('cluster.nodes.maxSize')).not.toHaveProperty('default');
  });

  test('writeBack is git with several environments, as types.ts says, and the schema claims no single default', () => {
    const [first] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(twoEnvironmentsSpec()));
    expect(first.apps[0].imageUpdate?.writeBack).toBe(types.WriteBackMethod.GIT);
    expect(Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec())).apps[0].imageUpdate?.writeBack).toBe(types.WriteBackMethod.ARGOCD);
    expect(INTERFACE_FIELDS.get('apps[].imageUpdate.writeBack')?.default).toContain('`WriteBackMethod.GIT` with');
    expect(FIELDS.get('apps[].imageUpdate.writeBack')).not.toHaveProperty('default');
  });

  test('an environment\'s cluster inherits the top-level version and node count, not the schema\'s defaults', () => {
    const spec = twoEnvironmentsSpec();
    spec.cluster = { ...spec.cluster, version: '1.34', nodes: { ...spec.cluster?.nodes, minSize: 3 } };
    // Each environment keeps a cluster section of its own, without the two fields.
    for (const environment of spec.environments) environment.cluster = { ...environment.cluster, version: undefined, nodes: undefined };
    const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    expect(platforms.map((p) => [p.cluster.version, p.cluster.minSize])).toEqual(platforms.map(() => ['1.34', 3]));
  });

  test('the loader returns the spec as given: types.ts says the resolver fills in the defaults', () => {
    const spec = sandboxSpec();
    expect(PlatformSpecLoader.fromObject(spec)).toEqual(sandboxSpec());
    const source = readFileSync(`${TYPES_MODULE}.ts`, 'utf8').replace(/\n *\* /g, ' ');
    expect(source).toContain('the defaults (each field\'s `@default`) are filled in when the spec is resolved');
  });
});

describe('the cluster section\'s defaults come from the description (lib/model/defaults.ts)', () => {
  const withoutCluster = () => {
    const spec = sandboxSpec();
    delete spec.cluster;
    return PlatformSpecLoader.fromObject(spec);
  };

  test('withDefaults fills every field ClusterWithDefaults promises, with the schema\'s defaults', () => {
    const { cluster } = withDefaults(withoutCluster());
    expect(cluster).toEqual(expect.objectContaining({
      version: FIELDS.get('cluster.version')!.default,
      adminRoleArns: FIELDS.get('cluster.adminRoleArns')!.default,
      vpcCidr: FIELDS.get('cluster.vpcCidr')!.default,
      maxAzs: FIELDS.get('cluster.maxAzs')!.default,
      publicAccessCidrs: FIELDS.get('cluster.publicAccessCidrs')!.default,
    }));
    expect(cluster.nodes).toEqual({
      instanceTypes: FIELDS.get('cluster.nodes.instanceTypes')!.default,
      minSize: FIELDS.get('cluster.nodes.minSize')!.default,
      diskSize: FIELDS.get('cluster.nodes.diskSize')!.default,
    });
  });

  test('resolution reads them: a spec without a cluster section resolves to the schema\'s defaults', () => {
    const { cluster } = Platform.resolve(withoutCluster());
    const { version, instanceTypes, minSize, maxSize, desiredSize, diskSize, vpcCidr, maxAzs, publicAccessCidrs, adminRoleArns } = cluster;
    expect([version, instanceTypes, minSize, maxSize, desiredSize, diskSize, vpcCidr, maxAzs, publicAccessCidrs, adminRoleArns])
      .toEqual([DEFAULT_KUBERNETES_VERSION, ['t3.medium'], 2, 4, 2, 20, '10.0.0.0/16', 2, ['0.0.0.0/0'], []]);
    expect(cluster.version).toBe(FIELDS.get('cluster.version')!.default);
  });

  test('a given value wins, the spec is not changed, and a default list is a copy', () => {
    const spec = withoutCluster();
    const given = { ...spec, cluster: { version: '1.34', nodes: { minSize: 3 } } };
    const filled = withDefaults(given);
    expect([filled.cluster.version, filled.cluster.nodes.minSize, filled.cluster.nodes.diskSize]).toEqual(['1.34', 3, 20]);
    expect(given.cluster).toEqual({ version: '1.34', nodes: { minSize: 3 } });
    expect(withDefaults(spec).cluster.publicAccessCidrs).not.toBe(withDefaults(spec).cluster.publicAccessCidrs);
  });

  test('an environment that sets no node count inherits the top level\'s, then the default', () => {
    const spec = twoEnvironmentsSpec();
    for (const environment of spec.environments) environment.cluster = { ...environment.cluster, nodes: undefined };
    spec.cluster = { ...spec.cluster, nodes: { diskSize: 50 } };
    const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    expect(platforms.map((p) => [p.cluster.diskSize, p.cluster.minSize])).toEqual(platforms.map(() => [50, 2]));
  });
});
