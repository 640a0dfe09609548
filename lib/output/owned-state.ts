import { createHash } from 'crypto';
import { parse } from 'yaml';
import { toYaml } from './yaml';
import { ARGOCD_APPS_DIR, RELEASE_REPOSITORY_ANNOTATION, RELEASE_REVISION_ANNOTATION } from '../model/constants';

/**
 * The fields of generated files that belong to someone else once the files are in a checkout. This
 * is the one place that says which; the checkout writer keeps them, and ignores them when it decides
 * whether a generated file was edited by hand.
 *
 * **Image references in every `kustomization.yaml`**: `newName`, `newTag` and `digest` of each
 * `images` entry the spec generates (matched by `name`). The spec's tag only seeds a new image; after
 * that the tag is moved by:
 * - the release workflow's pull request (`kustomize edit set image NAME=NAME:TAG`, which also sets
 *   `newName`, sorts `images` by name and re-marshals the whole file),
 * - Argo CD Image Updater's git write-back with `writeBackTarget: kustomization` (replaces the
 *   matching `images` entry, keeps the rest of the file),
 * - a person, the same way.
 *
 * Because `kustomize edit` rewrites the file in its own format (its own key order and indentation,
 * without `false`, `0` and empty values), kustomizations are compared by content, not by bytes.
 *
 * **A child Application's release** (`argocd/apps/**.yaml` whose generated Application carries the
 * `cdk-eks-gitops.io/release-repository` annotation, which a child Application file has only for a
 * `pull-request` app with deploy feedback on): its `kustomize.images` and the
 * `cdk-eks-gitops.io/release-revision` entry of its `kustomize.commonAnnotations`, which the
 * release's pull request and the promotion write together with the overlay's tag. The spec generates
 * neither (it does not know the tag the overlay runs, and seeding one would roll the app back), so
 * they are kept whole. The pull request writes the file through `kubectl patch`, which re-marshals
 * it with its own formatting, so Application files are compared by content too. When the spec stops
 * generating the annotation (deploy feedback turned off), nothing is kept: the Application goes back
 * to deploying the overlay's tags, which the releases moved alongside.
 *
 * Files the writer does not generate are never touched at all, so they need no rule here: Image
 * Updater's git write-back with its default target (`.argocd-source-<app>.yaml` beside the
 * kustomization), and anything a person adds.
 */
export class OwnedState {
  /** The `images` fields that others move. */
  public static readonly IMAGE_FIELDS: readonly string[] = ['newName', 'newTag', 'digest'];

  /** Whether a file has fields owned by others (compared by content rather than bytes). */
  public static appliesTo(path: string): boolean {
    return isKustomization(path) || isApplicationFile(path);
  }

  /**
   * A fingerprint of a file without the state others own: it stays the same when a tag moves or when
   * `kustomize edit` re-formats the file, and changes when anything else in the file changes.
   */
  public static fingerprint(path: string, content: string): string {
    const canonical = OwnedState.appliesTo(path) ? OwnedState.canonical(content, false, path) : undefined;
    return `sha256:${createHash('sha256').update(canonical ?? normalizeNewlines(content)).digest('hex')}`;
  }

  /**
   * Whether `content` is still what the writer generated, by the fingerprint the index `known` holds
   * for it. An Application file's fingerprint was the hash of its bytes before Application files
   * were compared by content (deploy feedback with `pull-request` delivery): an index written then
   * holds that hash, which is accepted too, so the first write after an upgrade is no "edit by hand".
   */
  public static matches(path: string, known: string, content: string): boolean {
    if (known === OwnedState.fingerprint(path, content)) return true;
    return isApplicationFile(path) && known === `sha256:${createHash('sha256').update(normalizeNewlines(content)).digest('hex')}`;
  }

  /**
   * Whether two versions of a file say the same, state included: byte-equal (line endings aside),
   * or for a kustomization, equal content whatever its formatting and the order of `images`.
   */
  public static equivalent(path: string, a: string, b: string): boolean {
    if (normalizeNewlines(a) === normalizeNewlines(b)) return true;
    if (!OwnedState.appliesTo(path)) return false;
    const canonicalA = OwnedState.canonical(a, true, path);
    return canonicalA !== undefined && canonicalA === OwnedState.canonical(b, true, path);
  }

  /**
   * The generated content with the state of the current file carried over: each image the spec
   * still generates keeps the `newName`, `newTag` and `digest` it has in `current`. Images that the
   * spec no longer generates are dropped with their state; new images start at the spec's tag.
   */
  public static keep(path: string, generated: string, current: string): string {
    if (isApplicationFile(path)) return keepRelease(generated, current);
    if (!OwnedState.appliesTo(path)) return generated;
    const currentImages = imagesByName(parseOrUndefined(current));
    const next = parseOrUndefined(generated);
    if (!currentImages.size || !Array.isArray(next?.images)) return generated;
    let moved = false;
    next.images = next.images.map((image: Record<string, unknown>) => {
      const state = ownedFields(currentImages.get(image.name as string));
      if (!state) return image;
      moved = moved || OwnedState.IMAGE_FIELDS.some((f) => state[f] !== image[f]);
      const { name, ...rest } = image;
      for (const field of OwnedState.IMAGE_FIELDS) delete rest[field];
      return { name, ...rest, ...state };
    });
    if (!moved) return generated;
    // Generated files start with a comment header; keep it above the re-rendered content.
    const header = /^(#[^\n]*\n)*/.exec(generated)![0];
    return header + toYaml(next);
  }

  /**
   * What state `current` holds that differs from `generated`, for the plan: `app v1.4.2` for each
   * image whose tag (or digest, or name) was moved. Empty when nothing was moved.
   */
  public static describe(path: string, generated: string, current: string): string[] {
    if (isApplicationFile(path)) return describeRelease(generated, current);
    if (!OwnedState.appliesTo(path)) return [];
    const ours = imagesByName(parseOrUndefined(generated));
    const theirs = imagesByName(parseOrUndefined(current));
    const moved: string[] = [];
    for (const [name, image] of ours) {
      const state = ownedFields(theirs.get(name));
      if (!state || OwnedState.IMAGE_FIELDS.every((f) => state[f] === image[f])) continue;
      const short = name.split('/').pop();
      moved.push(`${short} ${state.digest ?? state.newTag ?? state.newName}`);
    }
    return moved;
  }

  /**
   * A kustomization as canonical JSON: keys sorted, values kustomize leaves out when it writes a
   * kustomization (`false`, `0`, empty) dropped, `images` in name order, and, unless `withState`,
   * without the owned image fields. `undefined` when the file is not a YAML mapping.
   */
  private static canonical(content: string, withState: boolean, path = 'kustomization.yaml'): string | undefined {
    const value = parseOrUndefined(content);
    if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (!isKustomization(path)) {
      // An Application: every field as it is (kubectl keeps false, 0 and empty strings), keys sorted;
      // without its release when it takes one.
      if (!withState && takesRelease(value)) withoutRelease(value);
      return JSON.stringify(sortedKeys(value));
    }
    if (Array.isArray(value.images)) {
      value.images = value.images
        .map((image: unknown) => {
          if (withState || !image || typeof image !== 'object') return image;
          const copy: Record<string, unknown> = { ...image };
          for (const field of OwnedState.IMAGE_FIELDS) delete copy[field];
          return copy;
        })
        .sort((x: any, y: any) => String(x?.name).localeCompare(String(y?.name)));
    }
    return JSON.stringify(withoutEmpty(value) ?? {});
  }
}

function isKustomization(path: string): boolean {
  return path === 'kustomization.yaml' || path.endsWith('/kustomization.yaml');
}

/** A child Application's file: `argocd/apps/<name>.yaml` or `argocd/apps/<environment>/<name>.yaml`. */
function isApplicationFile(path: string): boolean {
  return path.startsWith(`${ARGOCD_APPS_DIR}/`) && path.endsWith('.yaml');
}

/** The Application's Kustomize options, when the file is an Application that has them. */
function kustomizeOf(application: any): Record<string, any> | undefined {
  const kustomize = application?.kind === 'Application' ? application?.spec?.source?.kustomize : undefined;
  return kustomize && typeof kustomize === 'object' && !Array.isArray(kustomize) ? kustomize : undefined;
}

/** An image of `kustomize.images` (`name:tag`, `name@digest`, `name=new:tag`) by its name: up to the first `=`, `@`, or `:` after the last `/`. */
function imageName(entry: string): string {
  const replaced = entry.indexOf('=');
  if (replaced >= 0) return entry.slice(0, replaced);
  const slash = entry.lastIndexOf('/');
  const end = [entry.indexOf('@', slash), entry.indexOf(':', slash)].filter((i) => i >= 0);
  return end.length ? entry.slice(0, Math.min(...end)) : entry;
}

/** The release state of an Application: its `kustomize.images`, and its release revision. */
function releaseOf(application: any): { images?: string[]; revision?: string } {
  const kustomize = kustomizeOf(application);
  const images = Array.isArray(kustomize?.images) ? kustomize!.images.filter((i: unknown): i is string => typeof i === 'string') : undefined;
  const revision = kustomize?.commonAnnotations?.[RELEASE_REVISION_ANNOTATION];
  return { images: images?.length ? images : undefined, revision: typeof revision === 'string' && revision !== '' ? revision : undefined };
}

/** Whether a generated Application takes its release from the manifest repository (see the class). */
function takesRelease(application: any): boolean {
  return application?.kind === 'Application' && typeof application?.metadata?.annotations?.[RELEASE_REPOSITORY_ANNOTATION] === 'string';
}

/** Removes what the releases own from an Application: its images and its release revision. */
function withoutRelease(application: any): void {
  const kustomize = kustomizeOf(application);
  if (!kustomize) return;
  delete kustomize.images;
  if (kustomize.commonAnnotations && typeof kustomize.commonAnnotations === 'object') {
    delete kustomize.commonAnnotations[RELEASE_REVISION_ANNOTATION];
    if (!Object.keys(kustomize.commonAnnotations).length) delete kustomize.commonAnnotations;
  }
  if (!Object.keys(kustomize).length) delete application.spec.source.kustomize;
}

/** The generated Application with the current file's release (its images and its commit) carried over, when it takes one. */
function keepRelease(generated: string, current: string): string {
  const next = parseOrUndefined(generated);
  if (!takesRelease(next) || !next.spec?.source) return generated;
  const { images, revision } = releaseOf(parseOrUndefined(current));
  if (!images && !revision) return generated;
  const kustomize = { ...kustomizeOf(next) };
  if (images) kustomize.images = images;
  if (revision) kustomize.commonAnnotations = { ...kustomize.commonAnnotations, [RELEASE_REVISION_ANNOTATION]: revision };
  next.spec.source.kustomize = kustomize;
  const header = /^(#[^\n]*\n)*/.exec(generated)![0];
  return header + toYaml(next);
}

/** What release the current Application keeps, for the plan: `app v1.4.2` per image, and `release commit <sha>`. */
function describeRelease(generated: string, current: string): string[] {
  if (!takesRelease(parseOrUndefined(generated))) return [];
  const { images, revision } = releaseOf(parseOrUndefined(current));
  const tags = (images ?? []).map((entry) => {
    const name = imageName(entry);
    return `${name.split('/').pop()} ${entry.slice(name.length + 1)}`;
  });
  return [...tags, ...(revision ? [`release commit ${revision}`] : [])];
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function normalizeNewlines(text: string): string {
  return text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text;
}

/**
 * Each distinct text parsed once. A write reads every kustomization and Application several times:
 * the generated file's fingerprint, the current file's, what the plan says moved, the state carried
 * over. Those parses were about seven tenths of the CPU of a write of 200 applications that changes
 * nothing. Bounded, so that a process that writes many trees does not keep every text it read.
 */
const parsedTexts = new Map<string, { readonly value: unknown }>();
const PARSED_TEXTS_KEPT = 4096;

/** The text parsed as YAML, or `undefined` when it is not YAML; a copy of its own for each caller (some change what they read). */
function parseOrUndefined(content: string): any {
  let parsed = parsedTexts.get(content);
  if (!parsed) {
    let value: unknown;
    try {
      value = parse(content);
    } catch {
      value = undefined;
    }
    if (parsedTexts.size >= PARSED_TEXTS_KEPT) parsedTexts.clear();
    parsed = { value };
    parsedTexts.set(content, parsed);
  }
  return parsed.value !== null && typeof parsed.value === 'object' ? structuredClone(parsed.value) : parsed.value;
}

function imagesByName(kustomization: any): Map<string, Record<string, unknown>> {
  const images: unknown[] = Array.isArray(kustomization?.images) ? kustomization.images : [];
  const entries = images.filter((i): i is Record<string, unknown> => !!i && typeof (i as any).name === 'string');
  return new Map(entries.map((i) => [i.name as string, i]));
}

/** The owned fields an image entry sets, or undefined when it sets none. */
function ownedFields(image: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!image) return undefined;
  const fields = OwnedState.IMAGE_FIELDS.filter((f) => image[f] !== undefined && image[f] !== null && image[f] !== '');
  return fields.length ? Object.fromEntries(fields.map((f) => [f, image[f]])) : undefined;
}

/** Sorted keys, and no `false`, `0`, `null`, `''`, `[]` or `{}` (what Go's omitempty leaves out). */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => withoutEmpty(v) ?? null);
    return items.length ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => [key, withoutEmpty((value as Record<string, unknown>)[key])] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === false || value === 0 || value === null || value === '' ? undefined : value;
}
