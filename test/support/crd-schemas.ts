import { readFileSync } from 'fs';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { UPSTREAM_VERSIONS } from '../../lib/versions';
import { upstreamPath } from '../fixtures';

/** The CRDs the manifests must validate against, from the upstream reference data. */
const CRD_FILES = [
  // The CRDs of the Argo CD version the platform runs (the argo-cd chart's appVersion).
  `argo-cd-${UPSTREAM_VERSIONS.argoCd}/application-crd.yaml`,
  `argo-cd-${UPSTREAM_VERSIONS.argoCd}/appproject-crd.yaml`,
  `argo-cd-${UPSTREAM_VERSIONS.argoCd}/applicationset-crd.yaml`,
  'argocd-image-updater-v1.3.0/imageupdaters-crd.yaml',
  'external-secrets-v2.9.0/bundle.yaml',
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

let cached: CrdValidator | undefined;

export function crdValidator(): CrdValidator {
  if (cached) return cached;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, { fn: ValidateFunction; served: boolean }>();
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
        validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, { fn: ajv.compile(schema), served: version.served });
      }
    }
  }
  cached = {
    knows: (apiVersion, kind) => validators.has(`${apiVersion}/${kind}`),
    served: (apiVersion, kind) => validators.get(`${apiVersion}/${kind}`)?.served ?? false,
    validate: (object) => {
      const entry = validators.get(`${object.apiVersion}/${object.kind}`);
      const name = `${object.apiVersion}/${object.kind} ${object.metadata?.name}`;
      if (!entry) return [`${name}: no CRD defines this kind`];
      if (!entry.served) return [`${name}: ${object.apiVersion} is not served`];
      if (entry.fn(object)) return [];
      return (entry.fn.errors ?? []).map((e) => `${name}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`);
    },
  };
  return cached;
}
