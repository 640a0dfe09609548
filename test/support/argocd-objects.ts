// What Argo CD applies from a manifest-repository tree, found the way Argo CD finds it: the bootstrap
// kustomization (what the stack applies), the root Application in it, the child Applications in the
// directory the root app syncs, and each child's path built with kustomize. Tests compare it before
// and after a change of layout: files may move, the objects Argo CD applies must not.
import { createHash } from 'crypto';
import { kustomize, parseYaml, writeTree } from './manifest-checks';
import type { GeneratedFile } from '../../lib/output/generated-file';

/** The objects of one Argo CD source (a kustomize path), or their digest when they hold a pinned upstream install. */
export interface SourceObjects {
  /** The objects, sorted by identity; absent when only the digest is kept. */
  readonly objects?: any[];
  /** Identities of the objects (`apiVersion kind namespace/name`), sorted. */
  readonly ids: string[];
  /** SHA-256 of the sorted objects as canonical JSON. */
  readonly digest: string;
}

/** Everything Argo CD applies from a tree of one environment. */
export interface ArgoCdObjects {
  /** The bootstrap (`kubectl apply -k` of the bootstrap directory; the stack applies the same objects). */
  readonly bootstrap: SourceObjects;
  /** The child Applications, by name, as the root app applies them. */
  readonly applications: { [name: string]: any };
  /** What each child Application's path builds to, by Application name. */
  readonly sources: { [name: string]: SourceObjects };
  /** Argo CD's own install, for clusters the stack does not install it on (absent for the managed Argo CD). */
  readonly install?: SourceObjects;
}

const idOf = (o: any) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** JSON with keys sorted at every level, so equal objects give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  const sort = (v: any): any => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
    return v;
  };
  return JSON.stringify(sort(value));
}

function source(objects: any[], keepObjects: boolean): SourceObjects {
  const sorted = [...objects].sort((a, b) => idOf(a).localeCompare(idOf(b)));
  const digest = createHash('sha256').update(canonicalJson(sorted)).digest('hex');
  return { ...(keepObjects ? { objects: JSON.parse(canonicalJson(sorted)) } : {}), ids: sorted.map(idOf), digest };
}

/**
 * What Argo CD applies from `files`, starting at the bootstrap directory `bootstrapDir`. Sources that
 * include a pinned upstream install (the Image Updater's, Argo CD's) keep only their digest and ids:
 * those objects are large and none of them is this project's to change.
 */
export function argoCdObjects(files: GeneratedFile[], bootstrapDir = 'argocd/bootstrap'): ArgoCdObjects {
  const tree = writeTree(files);
  const bootstrap = kustomize(tree, bootstrapDir);
  const root = bootstrap.find((o) => o.kind === 'Application');
  if (!root) throw new Error(`no root Application in ${bootstrapDir}`);
  const appsDir: string = root.spec.source.path;
  // Argo CD reads a plain directory of manifests non-recursively by default.
  const childFiles = files.filter((f) => f.path.startsWith(`${appsDir}/`) && !f.path.slice(appsDir.length + 1).includes('/'));
  const applications: { [name: string]: any } = {};
  const sources: { [name: string]: SourceObjects } = {};
  for (const application of childFiles.flatMap((f) => parseYaml(f.content))) {
    const name = application.metadata.name;
    applications[name] = JSON.parse(canonicalJson(application));
    const path = application.spec.source.path;
    if (path === undefined) continue;
    const text = files.find((f) => f.path === `${path}/kustomization.yaml`)!.content;
    const upstream = /https:\/\/raw\.githubusercontent\.com\//.test(text);
    sources[name] = source(kustomize(tree, path), !upstream);
  }
  const hasInstall = files.some((f) => f.path === 'argocd/bootstrap/install/kustomization.yaml');
  return {
    bootstrap: source(bootstrap, true),
    applications,
    sources,
    ...(hasInstall ? { install: source(kustomize(tree, 'argocd/bootstrap/install'), false) } : {}),
  };
}
