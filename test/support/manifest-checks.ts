import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, posix, relative } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { crdValidator } from './crd-schemas';
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
 */
export function kustomize(root: string, dir: string): any[] {
  const path = join(root, dir, 'kustomization.yaml');
  let text = readFileSync(path, 'utf8');
  for (const [url, local] of Object.entries(REMOTE_BASES)) text = text.split(url).join(local);
  writeFileSync(path, text);
  const output = execFileSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', join(root, dir)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseYaml(output);
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
    const output = execFileSync('node', [join(__dirname, 'validate-k8s.mjs')], { input: JSON.stringify(builtIn), encoding: 'utf8' });
    errors.push(...JSON.parse(output));
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
