// With one environment, the layout of several environments (nothing environment-specific in
// <app>/base/) must change where files are, never what Argo CD applies. The trees in fixtures/ are
// what the writer generated before that layout, for the platforms of single-environment-variants.ts;
// what Argo CD applies from them (found the way Argo CD finds it, built by kubectl kustomize) must be
// what it applies from today's trees: the same objects, and the same Applications but for the
// secrets Applications' path, which moved from <app>/base/secrets to <app>/overlays/<env>/secrets.
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { imageUpdaterOverlayPath } from '../../lib/addons/image-updater/image-updater-addon';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { CheckoutWriter } from '../../lib/output/checkout-writer';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { argoCdObjects } from '../support/argocd-objects';
import { commitAll, gitCheckout, readFile } from '../support/git-checkout';
import { parseYaml } from '../support/manifest-checks';
import { SINGLE_ENVIRONMENT_VARIANTS } from '../support/single-environment-variants';
import { kustomizeEditSetImage } from '../support/tag-movers';

/** The tree a variant had before the environments layout. */
export function treeBefore(variant: string): GeneratedFile[] {
  const tree = JSON.parse(readFileSync(join(__dirname, 'fixtures', `tree-before-${variant}.json`), 'utf8'));
  return Object.entries<string>(tree).map(([path, content]) => ({ path, content }));
}

describe.each(Object.keys(SINGLE_ENVIRONMENT_VARIANTS))('%s: one environment, the same objects in Argo CD', (variant) => {
  const platform = SINGLE_ENVIRONMENT_VARIANTS[variant]();
  const before = argoCdObjects(treeBefore(variant));
  const now = new ManifestRepository(platform).manifestFiles();
  const after = argoCdObjects(now);

  test('the bootstrap (what the stack applies) and Argo CD\'s install are the same objects', () => {
    expect(after.bootstrap).toEqual(before.bootstrap);
    expect(after.install).toEqual(before.install);
  });

  test('every child Application is the same, the secrets ones syncing the overlay\'s secrets directory', () => {
    expect(Object.keys(after.applications).sort()).toEqual(Object.keys(before.applications).sort());
    const moved = Object.fromEntries(platform.apps.filter((a) => a.secret).map((a) => [a.secret!.applicationName, a.paths.secrets]));
    expect(Object.keys(moved).length).toBeGreaterThan(0);
    for (const [name, application] of Object.entries<any>(before.applications)) {
      const expected = moved[name]
        ? { ...application, spec: { ...application.spec, source: { ...application.spec.source, path: moved[name] } } }
        : application;
      if (moved[name]) expect(application.spec.source.path).toMatch(/\/base\/secrets$/);
      expect({ name, application: after.applications[name] }).toEqual({ name, application: expected });
    }
  });

  test('each Application\'s path builds to the same objects', () => {
    expect(Object.keys(after.sources).sort()).toEqual(Object.keys(before.sources).sort());
    for (const [name, objects] of Object.entries(before.sources)) {
      if (name === 'argocd-image-updater' && after.sources[name].digest !== objects.digest) {
        // One change since those trees, on purpose and not the layout's: the ImageUpdater resource of
        // an application that signs verifies the platform's signing key (`spec.imagesVerification`).
        // The source holds the upstream install, so only its ids are kept: compare the file itself.
        expect(after.sources[name].ids).toEqual(objects.ids);
        const file = `${imageUpdaterOverlayPath(platform.environment)}/image-updaters.yaml`;
        const updaters = (files: { path: string; content: string }[]) => parseYaml(files.find((f) => f.path === file)!.content);
        const stripped = updaters(now).map((o: any) => {
          expect(o.spec.imagesVerification).toEqual({ enabled: true, cosignKey: { secretName: 'argocd-image-updater-signing-key', key: 'cosign.pub' } });
          const { imagesVerification: _verification, ...spec } = o.spec;
          return { ...o, spec };
        });
        expect(stripped).toEqual(updaters(treeBefore(variant)));
        continue;
      }
      expect({ name, objects: after.sources[name] }).toEqual({ name, objects });
    }
  });

  test('only the files moved: a base holds the Deployment (without replicas and resources), the Service and the migration Job', () => {
    const baseObjects = now.filter((f) => /^[^/]+\/base\//.test(f.path) && !f.path.endsWith('kustomization.yaml')).flatMap((f) => parseYaml(f.content));
    expect([...new Set(baseObjects.map((o) => o.kind))].sort()).toEqual(platform.apps.some((a) => a.migration) ? ['Deployment', 'Job', 'Service'] : ['Deployment', 'Service']);
    for (const deployment of baseObjects.filter((o) => o.kind === 'Deployment')) {
      expect(deployment.spec.replicas).toBeUndefined();
      const containers = deployment.spec.template.spec.containers;
      expect(containers.map((c: any) => c.resources)).toEqual(containers.map(() => undefined));
    }
  });
});

describe('a checkout written before the environments layout', () => {
  test('the next write moves the files, keeps the tags a release moved, and needs no --force', () => {
    const platform = SINGLE_ENVIRONMENT_VARIANTS.sandbox();
    const before = treeBefore('sandbox');
    const dir = gitCheckout();
    new CheckoutWriter({ directory: dir, files: before }).apply();
    commitAll(dir, 'the tree before environments');
    const overlay = join(dir, platform.apps[0].paths.overlay);
    const app = platform.apps[0].containers[0].image.imageUri;
    kustomizeEditSetImage(overlay, [`${app}=${app}:v3.1.4`]);
    commitAll(dir, 'a release');

    const now = new ManifestRepository(platform).manifestFiles();
    const plan = new CheckoutWriter({ directory: dir, files: now }).apply();
    const [beforePaths, nowPaths] = [before, now].map((tree) => tree.map((f) => f.path));
    expect(plan.conflicts).toEqual([]);
    expect(plan.removed.sort()).toEqual(beforePaths.filter((p) => !nowPaths.includes(p)).sort());
    expect(plan.added.sort()).toEqual(nowPaths.filter((p) => !beforePaths.includes(p)).sort());
    expect(plan.removed).toEqual(expect.arrayContaining(['main/base/external-dns.yaml', 'main/base/secrets/external-secret.yaml']));
    const images = parse(readFile(dir, `${platform.apps[0].paths.overlay}/kustomization.yaml`)).images;
    expect(images.find((i: any) => i.name === app).newTag).toBe('v3.1.4');
  });
});
