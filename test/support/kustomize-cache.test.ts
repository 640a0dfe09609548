// The kustomize builds kept for a test run (manifest-checks.ts) are keyed by every file a build can
// read: a change to any of them, inside the directory or outside it, is a new key, so a kept build
// can never stand in for a changed tree.
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { kustomizationInputs, kustomize } from './manifest-checks';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kustomize-cache-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const BASE = {
  'app/base/kustomization.yaml': 'resources:\n  - service.yaml\n',
  'app/base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
  'app/overlays/prod/kustomization.yaml': 'namespace: prod\nresources:\n  - ../../base\npatches:\n  - path: ../../patches/port.yaml\n',
  'app/patches/port.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web-8080\n',
  'unrelated/notes.md': 'ours\n',
};

describe('the key of a kept kustomize build', () => {
  const key = (files: Record<string, string>) => kustomizationInputs(tree(files), 'app/overlays/prod');

  test('is the same for the same inputs in another tree, whatever else the tree holds', () => {
    expect(key(BASE)).toBe(key({ ...BASE, 'unrelated/notes.md': 'changed\n', 'other/kustomization.yaml': 'resources: []\n' }));
  });

  test('changes with the overlay, a base it names, a patch outside it, or a file the base lists', () => {
    const before = key(BASE);
    expect(key({ ...BASE, 'app/overlays/prod/kustomization.yaml': BASE['app/overlays/prod/kustomization.yaml'].replace('prod\n', 'production\n') })).not.toBe(before);
    expect(key({ ...BASE, 'app/base/kustomization.yaml': 'resources:\n  - service.yaml\ncommonLabels:\n  a: b\n' })).not.toBe(before);
    expect(key({ ...BASE, 'app/patches/port.yaml': BASE['app/patches/port.yaml'].replace('8080', '9090') })).not.toBe(before);
    expect(key({ ...BASE, 'app/base/service.yaml': BASE['app/base/service.yaml'].replace('web', 'api') })).not.toBe(before);
  });

  test('a build of changed inputs is built again, not read back', () => {
    const first = kustomize(tree(BASE), 'app/overlays/prod');
    expect(first[0].spec.selector).toEqual({ app: 'web-8080' });
    const changed = kustomize(tree({ ...BASE, 'app/patches/port.yaml': BASE['app/patches/port.yaml'].replace('8080', '9090') }), 'app/overlays/prod');
    expect(changed[0].spec.selector).toEqual({ app: 'web-9090' });
    expect(kustomize(tree(BASE), 'app/overlays/prod')).toEqual(first);
  });
});
