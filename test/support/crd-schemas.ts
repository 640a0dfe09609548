import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { parseAllDocuments } from 'yaml';
import { UPSTREAM_VERSIONS } from '../../lib/versions';
import { repoPath, upstreamPath } from '../fixtures';

/** The CRDs the manifests must validate against, from the upstream reference data. */
const CRD_FILES = [
  // The CRDs of the Argo CD version the platform runs (the argo-cd chart's appVersion).
  `argo-cd-${UPSTREAM_VERSIONS.argoCd}/application-crd.yaml`,
  `argo-cd-${UPSTREAM_VERSIONS.argoCd}/appproject-crd.yaml`,
  `argo-cd-${UPSTREAM_VERSIONS.argoCd}/applicationset-crd.yaml`,
  'argocd-image-updater-v1.3.0/imageupdaters-crd.yaml',
  'external-secrets-v2.9.0/bundle.yaml',
  `karpenter-v${UPSTREAM_VERSIONS.karpenter}/karpenter.sh_nodepools.yaml`,
  `karpenter-v${UPSTREAM_VERSIONS.karpenter}/karpenter.sh_nodeclaims.yaml`,
  `karpenter-v${UPSTREAM_VERSIONS.karpenter}/karpenter.k8s.aws_ec2nodeclasses.yaml`,
];

/**
 * Makes an OpenAPI v3 schema from a CRD strict the way the API server's field validation is:
 * unknown fields fail unless the schema preserves them, and int-or-string accepts both.
 */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strict(v)]));
    } else if (typeof value === 'object') {
      out[key] = strict(value);
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

export interface CrdValidator {
  /** Errors of one object, as `apiVersion/kind name: path message` lines; none for a valid object. */
  validate(object: any): string[];
  /** Whether a CRD defines this apiVersion and kind. */
  knows(apiVersion: string, kind: string): boolean;
  /** Whether the version is defined but not served (e.g. external-secrets.io/v1beta1). */
  served(apiVersion: string, kind: string): boolean;
}

/** The ajv options the validators are compiled with; `code.source` keeps their code for the cache. */
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, code: { source: true } };

/**
 * The compiled validators are kept in `.cache/crd-validators/<key>/`, one CommonJS module each and an
 * index, so that compiling the schemas (about 5 s) happens once, not in every test file that checks
 * manifests. The key hashes everything the code is made from: ajv's version and options, this file
 * and the CRD files.
 */
const CACHE_ROOT = repoPath('.cache', 'crd-validators');

/** One entry of a cache directory's index.json. */
interface CachedValidator {
  /** `group/version/Kind`. */
  readonly key: string;
  readonly served: boolean;
  /** The module of its validate function, in the same directory. */
  readonly file: string;
}

function cacheKey(): string {
  const hash = createHash('sha256');
  const ajvVersion = JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')).version;
  hash.update(JSON.stringify({ ajv: ajvVersion, options: AJV_OPTIONS }));
  hash.update(readFileSync(__filename));
  for (const file of CRD_FILES) hash.update(readFileSync(upstreamPath(file)));
  return hash.digest('hex').slice(0, 16);
}

/** Compiles every version of every CRD into `dir` (written aside, then renamed into place), and removes other keys' directories. */
function compileInto(dir: string): void {
  const ajv = new Ajv(AJV_OPTIONS);
  const building = `${dir}.${process.pid}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const index: CachedValidator[] = [];
  for (const file of CRD_FILES) {
    for (const doc of parseAllDocuments(readFileSync(upstreamPath(file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        const schema = strict(version.schema.openAPIV3Schema);
        // The API server checks metadata itself; the CRD schema leaves it open.
        schema.properties.metadata = {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
            namespace: { type: 'string' },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
            annotations: { type: 'object', additionalProperties: { type: 'string' } },
            finalizers: { type: 'array', items: { type: 'string' } },
          },
          additionalProperties: false,
        };
        const entry = { key: `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, served: version.served, file: `${index.length}.js` };
        writeFileSync(join(building, entry.file), standaloneCode(ajv, ajv.compile(schema)));
        index.push(entry);
      }
    }
  }
  writeFileSync(join(building, 'index.json'), JSON.stringify(index));
  try {
    renameSync(building, dir);
  } catch {
    // Another test file wrote the same directory meanwhile.
    rmSync(building, { recursive: true, force: true });
  }
  for (const other of readdirSync(CACHE_ROOT)) {
    if (!other.includes('.') && join(CACHE_ROOT, other) !== dir) rmSync(join(CACHE_ROOT, other), { recursive: true, force: true });
  }
}

let cached: CrdValidator | undefined;

export function crdValidator(): CrdValidator {
  if (cached) return cached;
  const dir = join(CACHE_ROOT, cacheKey());
  if (!existsSync(join(dir, 'index.json'))) compileInto(dir);
  const index: CachedValidator[] = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  // Each validator is loaded when an object of its kind is first validated.
  const loaded = new Map<string, ValidateFunction>();
  const validators = new Map(
    index.map((entry) => [
      entry.key,
      {
        served: entry.served,
        fn: (): ValidateFunction => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          if (!loaded.has(entry.key)) loaded.set(entry.key, require(join(dir, entry.file)));
          return loaded.get(entry.key)!;
        },
      },
    ]),
  );
  cached = {
    knows: (apiVersion, kind) => validators.has(`${apiVersion}/${kind}`),
    served: (apiVersion, kind) => validators.get(`${apiVersion}/${kind}`)?.served ?? false,
    validate: (object) => {
      const entry = validators.get(`${object.apiVersion}/${object.kind}`);
      const name = `${object.apiVersion}/${object.kind} ${object.metadata?.name}`;
      if (!entry) return [`${name}: no CRD defines this kind`];
      if (!entry.served) return [`${name}: ${object.apiVersion} is not served`];
      const fn = entry.fn();
      if (fn(object)) return [];
      return (fn.errors ?? []).map((e) => `${name}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`);
    },
  };
  return cached;
}
