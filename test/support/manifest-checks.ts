import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join, posix, relative, resolve } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { crdValidator } from './crd-schemas';
import { runInK8sWorker } from './k8s-worker-client';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../lib/versions';
import { upstreamPath } from '../fixtures';

/** The pinned remote bases, and the local copies tests build with (nothing outside npm is reachable). */
const REMOTE_BASES: { [url: string]: string } = {
  [UPSTREAM_URLS.imageUpdaterInstall]: upstreamPath('argocd-image-updater-v1.3.0', 'install.yaml'),
  [UPSTREAM_URLS.argoCdInstall]: upstreamPath(`argo-cd-${UPSTREAM_VERSIONS.argoCd}`, 'install.yaml'),
};

/** Writes files into a fresh temporary directory and returns it. */
export function writeTree(files: GeneratedFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  return dir;
}

/** Every kustomization directory of a tree, relative to its root. */
export function kustomizationDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry === 'kustomization.yaml') found.push(relative(root, dir));
    }
  };
  walk(root);
  return found.sort();
}

/**
 * `kubectl kustomize` of one directory of a tree, with the pinned remote bases replaced by their local
 * copies. Returns the objects built.
 *
 * Many test files build the same kustomizations (the sandbox's, Argo CD's install with its patch),
 * and the ones that hold an upstream install cost about a second each in kubectl and the YAML
 * parser. So each build is kept for the rest of the test run (see `kustomizeCacheDir`), keyed by
 * the content of every file it can read (`kustomizationInputs`): a build of the same inputs reads
 * the objects back, whichever tree, test file or worker it is in.
 */
export function kustomize(root: string, dir: string): any[] {
  const path = join(root, dir, 'kustomization.yaml');
  let text = readFileSync(path, 'utf8');
  for (const [url, local] of Object.entries(REMOTE_BASES)) text = text.split(url).join(local);
  writeFileSync(path, text);
  const cacheDir = kustomizeCacheDir();
  const cached = cacheDir && join(cacheDir, `${kustomizationInputs(root, dir)}.json`);
  if (cached && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  const output = execFileSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', join(root, dir)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // As JSON, both ways: a first build returns exactly what a later one reads back.
  const json = JSON.stringify(parseYaml(output));
  if (cached) {
    // Written whole, then renamed: a worker reading the same key never sees half a file.
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, json);
    renameSync(partial, cached);
  }
  return JSON.parse(json);
}

/**
 * Where kustomize builds are kept: a directory in the test run's own temporary directory (made by
 * test/support/global-setup.ts, removed at the end of the run), so nothing is kept from one run to
 * the next. Outside such a run, nothing is kept.
 */
function kustomizeCacheDir(): string | undefined {
  if (!basename(tmpdir()).startsWith('cdk-eks-gitops-test-')) return undefined;
  const dir = join(tmpdir(), 'kustomize-builds');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A digest of everything `kubectl kustomize` may read to build `dir` of the tree `root`: every file
 * under it, and every file or directory that a kustomization there names (a base `../../base`, a
 * patch, an upstream install by absolute path), followed through their kustomizations in turn. A
 * reference is any string value of a kustomization that names an existing file, or a directory of
 * the tree: more than kustomize reads, never less. Paths are hashed relative to `dir`.
 */
export function kustomizationInputs(root: string, dir: string): string {
  const tree = resolve(root);
  const inTree = (path: string) => path === tree || path.startsWith(`${tree}/`);
  dir = resolve(root, dir);
  const hash = createHash('sha256');
  const visited = new Set<string>();
  const add = (path: string) => {
    if (visited.has(path)) return;
    visited.add(path);
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (entry !== '.git') add(join(path, entry));
      return;
    }
    const content = readFileSync(path);
    hash.update(`${relative(dir, path)}\0${content.length}\0`).update(content);
    if (!/^(kustomization\.ya?ml|Kustomization)$/.test(basename(path))) return;
    const here = dirname(path);
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
    for (const document of parseAllDocuments(content.toString('utf8'))) {
      for (const value of strings(document.toJS())) {
        if (value.includes('\n') || value.includes('://')) continue;
        const target = resolve(here, value);
        if (existsSync(target) && (inTree(target) || !statSync(target).isDirectory())) add(target);
      }
    }
  };
  add(dir);
  return hash.digest('hex');
}

/** All documents of a YAML text. */
export function parseYaml(text: string): any[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o) => o !== null && o !== undefined);
}

/** Validation errors of objects: custom resources against the upstream CRDs, the rest against Kubernetes. */
export function schemaErrors(objects: any[]): string[] {
  const crds = crdValidator();
  const builtIn = objects.filter((o) => !o.apiVersion.includes('.') || o.apiVersion.includes('k8s.io'));
  const custom = objects.filter((o) => !builtIn.includes(o));
  const errors = custom.flatMap((o) => crds.validate(o));
  if (builtIn.length) {
    errors.push(...runInK8sWorker<string[]>('schema', builtIn));
  }
  return errors;
}

/**
 * Paths of the files a tree's kustomizations list as `patches`: partial objects by design, validated
 * once kustomize has applied them.
 */
export function patchPaths(files: GeneratedFile[]): Set<string> {
  const patches = new Set<string>();
  for (const file of files.filter((f) => posix.basename(f.path) === 'kustomization.yaml')) {
    for (const patch of parse(file.content).patches ?? []) if (patch.path) patches.add(posix.join(posix.dirname(file.path), patch.path));
  }
  return patches;
}

/** The objects of a tree's YAML files, kustomizations and patches left out: each a whole object. */
export function wholeObjects(files: GeneratedFile[]): any[] {
  const patches = patchPaths(files);
  return files
    .filter((f) => f.path.endsWith('.yaml') && posix.basename(f.path) !== 'kustomization.yaml' && !patches.has(f.path))
    .flatMap((f) => parseYaml(f.content));
}
