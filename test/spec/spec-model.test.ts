// The spec is described by hand in two places a user reads: the TypeScript interfaces (lib/spec/types.ts,
// with their `@default` tags) and the JSON Schema (platform.schema.json, written from
// lib/spec/platform-shape.ts), with docs/spec-reference.md beside them. These tests hold them together:
// a TypeScript consumer can set every field the schema accepts, every interface property is in the
// schema, and a default stated in two places is the same default.
import { readFileSync } from 'fs';
import * as ts from 'typescript';
import { PlatformSpecLoader } from '../../lib/spec/loader';
import { Platform } from '../../lib/spec/platform';
import * as types from '../../lib/spec/types';
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

const TYPES_MODULE = repoPath('lib', 'spec', 'types');
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

describe('the add-ons the schema accepts', () => {
  test('the add-ons YAML may configure are typed: loadBalancerController and vaultPlugin', () => {
    expect([...INTERFACE_FIELDS.keys()]).toEqual(expect.arrayContaining(['addons.loadBalancerController.workloadIdentity', 'addons.vaultPlugin.workloadIdentity']));
  });
});

describe('a default stated twice is the same default', () => {
  test('the schema names no default in an override position (environments[]): an unset field there inherits, and says so', () => {
    // Except the controllers: a workload named there replaces that workload of cluster.controllers
    // whole (lib/spec/environments.ts), so its unset fields take the workload's defaults.
    const overrides = [...FIELDS].filter(([path]) => path.startsWith('environments[].') && !path.startsWith('environments[].cluster.controllers.'));
    expect(overrides.filter(([, field]) => field.default !== undefined).map(([path]) => path)).toEqual([]);
    // Each field whose top-level twin has a default says where its value comes from.
    const twins = overrides.filter(([path]) => FIELDS.get(path.replace(/^environments\[\]\.(apps\[\]\.)?/, (_, app) => (app ? 'apps[].' : '')))?.default !== undefined);
    expect(twins.map(([path]) => path)).toEqual(expect.arrayContaining(['environments[].cluster.version', 'environments[].cluster.nodes.minSize', 'environments[].apps[].containers[].resources.cpuRequest']));
    expect(twins.filter(([, field]) => !/\(default: inherits [^)]+\)$/.test(field.description)).map(([path]) => path)).toEqual([]);
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
    expect(readFileSync(`${TYPES_MODULE}.ts`, 'utf8')).toContain('the defaults (each field\'s `@default`) are filled in when\n * the spec is resolved');
  });
});
