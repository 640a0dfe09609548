// Stand-ins for the two tools that move image tags in a manifest-repository checkout, reproducing how
// each rewrites the overlay's kustomization.yaml (neither binary is available offline here):
//
// - `kustomize edit set image NAME=NAME:TAG` (kustomize v5, kustomize/commands/edit/set/setimage.go and
//   commands/internal/kustfile/kustomizationfile.go): merges the images given with the existing ones,
//   sets newName even when it equals name, sorts images by name, and re-marshals every top-level field
//   through sigs.k8s.io/yaml (keys sorted, sequences not indented, false/0/empty fields left out), in
//   the file's original field order, keeping comment lines above fields.
// - Argo CD Image Updater's git write-back (pkg/argocd/git.go): with `writeBackTarget: kustomization`
//   it replaces the matching `images` element with `{name, newTag}` through kyaml and keeps the rest
//   of the file; with the default target it writes `.argocd-source-<app>.yaml` beside it.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { isMap, isSeq, parse, parseDocument, stringify } from 'yaml';

/** `kustomize edit set image` for each `name=name:tag` in `images`, run in `dir`. */
export function kustomizeEditSetImage(dir: string, images: string[]): void {
  const path = join(dir, 'kustomization.yaml');
  const text = readFileSync(path, 'utf8');
  const k = parse(text);
  const given = new Map<string, Record<string, string>>();
  for (const arg of images) {
    const [name, ref] = arg.split('=');
    const i = ref.lastIndexOf(':');
    given.set(name, { name, newName: ref.slice(0, i), newTag: ref.slice(i + 1) });
  }
  for (const image of k.images ?? []) if (!given.has(image.name)) given.set(image.name, image);
  k.images = [...given.values()].sort((a, b) => (a.name < b.name ? -1 : 1));

  // Top-level fields in their original order, each with the comment lines above it.
  const out: string[] = [];
  let comments: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      comments.push(`${line}\n`);
      continue;
    }
    const field = /^([A-Za-z]+):/.exec(line)?.[1];
    if (!field) continue;
    out.push(...comments);
    comments = [];
    const value = goMarshal(k[field]);
    if (value !== undefined) out.push(stringify({ [field]: value }, { indentSeq: false, lineWidth: 0 }));
  }
  writeFileSync(path, out.join(''));
}

/** Image Updater's kustomization write-back of `name:tag` in `dir`. */
export function imageUpdaterWriteBack(dir: string, image: string): void {
  const path = join(dir, 'kustomization.yaml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const i = image.lastIndexOf(':');
  const [name, newTag] = [image.slice(0, i), image.slice(i + 1)];
  const images = doc.get('images');
  if (!isSeq(images)) throw new Error('no images');
  const index = images.items.findIndex((item) => isMap(item) && item.get('name') === name);
  const element = doc.createNode({ name, newTag });
  if (index >= 0) images.items[index] = element;
  else images.items.push(element);
  writeFileSync(path, doc.toString({ indentSeq: false, lineWidth: 0 }));
}

/** Image Updater's git write-back with its default target: `.argocd-source-<app>.yaml` in `dir`. */
export function imageUpdaterSourceFile(dir: string, app: string, image: string): string {
  const file = `.argocd-source-${app}.yaml`;
  writeFileSync(join(dir, file), stringify({ kustomize: { images: [image] } }, { indentSeq: false }));
  return file;
}

/** What sigs.k8s.io/yaml makes of a value: keys sorted, omitempty fields (false, 0, '', empty) dropped. */
function goMarshal(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(goMarshal) : undefined;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => [key, goMarshal((value as any)[key])])
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === false || value === 0 || value === '' || value === null ? undefined : value;
}
