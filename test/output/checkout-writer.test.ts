import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { PlatformCheckouts } from '../../lib/manifests/platform-checkouts';
import { CheckoutWriter } from '../../lib/output/checkout-writer';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { OwnedState } from '../../lib/output/owned-state';
import { unifiedDiff } from '../../lib/output/unified-diff';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { sandboxSpec, specWithApps } from '../fixtures';
import { commitAll, git, gitCheckout, listFiles, readFile, treeHash, writeFile } from '../support/git-checkout';
import { kustomize } from '../support/manifest-checks';
import { runReleasePullRequest } from '../support/release-pull-request';
import { imageUpdaterSourceFile, imageUpdaterWriteBack, kustomizeEditSetImage } from '../support/tag-movers';

const REGISTRY = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';
const trees = new Map<string, readonly GeneratedFile[]>();
/**
 * The manifest tree of a spec, generated once per distinct spec in this file (the writer is what
 * these tests check; the sandbox's tree is written two dozen times), each caller getting an array of
 * its own.
 */
const treeOf = (spec: any): GeneratedFile[] => {
  const key = JSON.stringify(spec);
  let files = trees.get(key);
  if (!files) {
    files = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles().map((file) => Object.freeze({ ...file }));
    trees.set(key, files);
  }
  return [...files];
};
const write = (directory: string, files: GeneratedFile[], force = false) => new CheckoutWriter({ directory, files, force }).apply();
const tagsIn = (dir: string, overlay: string) =>
  Object.fromEntries(parse(readFile(dir, overlay)).images.map((i: any) => [i.name.split('/').pop(), i.digest ?? i.newTag]));

describe('writing into a fresh Git checkout', () => {
  const dir = gitCheckout({ 'notes.md': 'mine\n', '.github/workflows/lint.yml': 'on: push\n' });
  const gitBefore = treeHash(join(dir, '.git'));
  const plan = write(dir, treeOf(sandboxSpec()));

  test('adds every generated file and an index of them, and leaves .git and unrelated files untouched', () => {
    expect(plan.added).toHaveLength(26);
    expect(plan.kept).toEqual(['notes.md']);
    expect(treeHash(join(dir, '.git'))).toBe(gitBefore);
    expect(readFile(dir, 'notes.md')).toBe('mine\n');
    expect(readFile(dir, '.github/workflows/lint.yml')).toBe('on: push\n');
    const index = JSON.parse(readFile(dir, CheckoutWriter.INDEX_FILE));
    expect(Object.keys(index.files)).toEqual(plan.added);
    expect(index.files['main/base/workload.yaml']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('the same spec again changes nothing, not even the index', () => {
    commitAll(dir, 'manifests');
    const again = write(dir, treeOf(sandboxSpec()));
    expect([again.added, again.changed, again.removed, again.indexChanged]).toEqual([[], [], [], false]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('image tags others own', () => {
  const overlay = 'main/overlays/production';
  const dir = gitCheckout();
  write(dir, treeOf(sandboxSpec()));
  commitAll(dir, 'manifests');

  test('a tag the release workflow set with kustomize edit set image survives a re-write, and is no drift', () => {
    const image = (name: string) => `${REGISTRY}/sandbox/main/${name}=${REGISTRY}/sandbox/main/${name}:v1.4.2`;
    kustomizeEditSetImage(join(dir, overlay), [image('migration'), image('app'), image('web')]);
    commitAll(dir, 'release v1.4.2');
    const edited = readFile(dir, `${overlay}/kustomization.yaml`);

    const writer = new CheckoutWriter({ directory: dir, files: treeOf(sandboxSpec()) });
    expect(writer.upToDate()).toBe(true);
    expect(writer.diff()).toBe('');
    const plan = writer.apply();
    expect(plan.keptState).toEqual([`${overlay}/kustomization.yaml: app v1.4.2, web v1.4.2, migration v1.4.2`]);
    // Equal content: the file is left exactly as kustomize wrote it.
    expect(readFile(dir, `${overlay}/kustomization.yaml`)).toBe(edited);
  });

  test('a tag Image Updater wrote back (kustomization target) survives a spec change that rewrites the overlay', () => {
    imageUpdaterWriteBack(join(dir, overlay), `${REGISTRY}/sandbox/main/app:v1.5.0`);
    const source = imageUpdaterSourceFile(join(dir, overlay), 'main', `${REGISTRY}/sandbox/main/web:v1.5.0`);
    commitAll(dir, 'image updater');

    const spec = sandboxSpec();
    spec.apps[0].containers.push({ name: 'worker', port: 9000 });
    const plan = write(dir, treeOf(spec));
    expect(plan.changed).toContain(`${overlay}/kustomization.yaml`);
    expect(plan.kept).toContain(`${overlay}/${source}`);
    // Moved tags stay; the new image starts at the spec's tag.
    expect(tagsIn(dir, `${overlay}/kustomization.yaml`)).toEqual({ app: 'v1.5.0', web: 'v1.4.2', migration: 'v1.4.2', worker: 'v0.0.1' });
    expect(readFile(dir, `${overlay}/${source}`)).toContain('web:v1.5.0');
    // And the overlay still builds, the migration on the app's tag.
    const built = kustomize(dir, overlay);
    expect(built.find((o) => o.kind === 'Job').spec.template.spec.containers[0].image).toBe(`${REGISTRY}/sandbox/main/migration:v1.5.0`);
  });

  test('a digest pinned in place of a tag is kept as the digest', () => {
    const path = `${overlay}/kustomization.yaml`;
    const k = parse(readFile(dir, path));
    k.images = k.images.map((i: any) => (i.name.endsWith('/web') ? { name: i.name, digest: 'sha256:' + 'a'.repeat(64) } : i));
    writeFile(dir, path, stringify(k));
    // A new container changes the overlay's images, so the overlay is rewritten.
    const spec = sandboxSpec();
    spec.apps[0].containers.push({ name: 'cron' });
    const plan = write(dir, treeOf(spec));
    expect(plan.changed).toContain(path);
    expect(tagsIn(dir, path)).toMatchObject({ web: 'sha256:' + 'a'.repeat(64), cron: 'v0.0.1' });
    expect(parse(readFile(dir, path)).images.find((i: any) => i.name.endsWith('/web')).newTag).toBeUndefined();
  });
});

describe('the release a pull request wrote into an Application (pull-request delivery with deploy feedback)', () => {
  const SHA = '3f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
  const withFeedback = (change: (spec: any) => void = () => {}) => {
    const spec = sandboxSpec();
    spec.apps[0].delivery = 'pull-request';
    delete spec.apps[0].imageUpdate;
    spec.argocd = { deployFeedback: { enabled: true } };
    change(spec);
    return spec;
  };
  const application = 'argocd/apps/main.yaml';
  const overlay = 'main/overlays/production/kustomization.yaml';
  const dir = gitCheckout();
  write(dir, treeOf(withFeedback()));
  commitAll(dir, 'manifests');
  // The release workflow's own job, run against this checkout as its origin, and its branch merged.
  const run = runReleasePullRequest(Platform.resolve(PlatformSpecLoader.fromObject(withFeedback())), dir, 'v1.1.0', SHA);
  git(dir, 'merge', '-q', '--ff-only', run.branch);
  const released = readFile(dir, application);
  const kustomizeOf = () => parse(readFile(dir, application)).spec.source.kustomize;

  test('turning deploy feedback on for a running app rolls nothing back: the Application gets no tag of its own, the overlay keeps its', () => {
    const running = gitCheckout();
    const plain = withFeedback((s) => delete s.argocd);
    write(running, treeOf(plain));
    kustomizeEditSetImage(join(running, 'main/overlays/production'), ['app', 'web', 'migration'].map((n) => `${REGISTRY}/sandbox/main/${n}=${REGISTRY}/sandbox/main/${n}:v1.4.2`));
    commitAll(running, 'release v1.4.2');
    const plan = write(running, treeOf(withFeedback()));
    expect(plan.conflicts).toEqual([]);
    expect(plan.changed).toContain(application);
    expect(parse(readFile(running, application)).spec.source.kustomize).toBeUndefined();
    expect(tagsIn(running, overlay)).toEqual({ app: 'v1.4.2', web: 'v1.4.2', migration: 'v1.4.2' });
  });

  test('the release survives a re-write with the same spec, and is no drift: the file stays as kubectl wrote it', () => {
    expect(run.status).toBe(0);
    expect(kustomizeOf().commonAnnotations).toEqual({ 'cdk-eks-gitops.io/release-revision': SHA });
    const writer = new CheckoutWriter({ directory: dir, files: treeOf(withFeedback()) });
    expect(writer.upToDate()).toBe(true);
    expect(writer.diff()).toBe('');
    const plan = writer.apply();
    expect(plan.keptState).toEqual([`${application}: app v1.1.0, web v1.1.0, migration v1.1.0, release commit ${SHA}`, `${overlay}: app v1.1.0, web v1.1.0, migration v1.1.0`]);
    expect(readFile(dir, application)).toBe(released);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('a spec change that rewrites the Application keeps the tags and the commit; a new image starts at the spec\'s tag in the overlay', () => {
    // A new container rewrites the overlay; a sync policy without self-heal rewrites the Application.
    const spec = withFeedback((s) => {
      s.apps[0].containers.push({ name: 'worker', port: 9000 });
      s.argocd.syncPolicy = { selfHeal: false };
    });
    const plan = write(dir, treeOf(spec));
    expect(plan.changed).toEqual(expect.arrayContaining([application, overlay]));
    expect(parse(readFile(dir, application)).spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: false });
    expect(plan.conflicts).toEqual([]);
    const source = kustomizeOf();
    expect(source.commonAnnotations).toEqual({ 'cdk-eks-gitops.io/release-revision': SHA });
    // The new image is not in the Application: Argo CD deploys the overlay's tag for it until the next release writes them all.
    expect(source.images.map((i: string) => i.split('/').pop())).toEqual(['app:v1.1.0', 'web:v1.1.0', 'migration:v1.1.0']);
    expect(tagsIn(dir, overlay)).toEqual({ app: 'v1.1.0', web: 'v1.1.0', migration: 'v1.1.0', worker: 'v0.0.1' });
    commitAll(dir, 'a worker');
  });

  test('a hand edit of any other field of the Application is one, and is refused', () => {
    writeFile(dir, application, readFile(dir, application).replace('targetRevision: main', 'targetRevision: hotfix'));
    const plan = new CheckoutWriter({ directory: dir, files: treeOf(withFeedback((s) => s.apps[0].containers.push({ name: 'worker', port: 9000 }))) }).plan();
    expect(plan.conflicts.map((c) => [c.path, c.reason])).toEqual([[application, 'was edited by hand since the writer generated it']]);
    git(dir, 'checkout', '-q', '--', application);
  });

  test('with deploy feedback off, nothing is kept: the Application deploys the overlay\'s tags again, and that is no hand edit', () => {
    const spec = withFeedback((s) => s.apps[0].containers.push({ name: 'worker', port: 9000 }));
    delete spec.argocd;
    const plan = write(dir, treeOf(spec));
    expect(plan.conflicts).toEqual([]);
    expect(plan.changed).toContain(application);
    expect(kustomizeOf()).toBeUndefined();
    expect(tagsIn(dir, overlay)).toMatchObject({ app: 'v1.1.0' });
  });
});

describe('an index written before Application files were compared by content', () => {
  // Until deploy feedback with pull-request delivery, an Application file's fingerprint in the index
  // was the SHA-256 of its bytes; the writer now fingerprints it by content (OwnedState). The
  // upgrade's first write (docs/upgrading.md: turning deploy feedback on, then `manifests --into`)
  // must not take the old fingerprint for an edit by hand.
  const pullRequest = (feedback: boolean) => {
    const spec = sandboxSpec();
    spec.apps[0].delivery = 'pull-request';
    delete spec.apps[0].imageUpdate;
    if (feedback) spec.argocd = { deployFeedback: { enabled: true } };
    return spec;
  };
  const application = 'argocd/apps/main.yaml';
  const bytesHash = (text: string) => `sha256:${createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex')}`;
  const oldCheckout = () => {
    const dir = gitCheckout();
    write(dir, treeOf(pullRequest(false)));
    const index = JSON.parse(readFile(dir, CheckoutWriter.INDEX_FILE));
    for (const path of Object.keys(index.files)) if (path.startsWith('argocd/apps/')) index.files[path] = bytesHash(readFile(dir, path));
    writeFile(dir, CheckoutWriter.INDEX_FILE, `${JSON.stringify(index, null, 2)}\n`);
    commitAll(dir, 'written by the previous version');
    return dir;
  };

  test('turning deploy feedback on rewrites the Application file: no conflict', () => {
    const dir = oldCheckout();
    const plan = write(dir, treeOf(pullRequest(true)));
    expect(plan.conflicts).toEqual([]);
    expect(plan.changed).toContain(application);
    expect(parse(readFile(dir, application)).metadata.annotations).toHaveProperty(['cdk-eks-gitops.io/release-repository']);
  });

  test('an Application file edited by hand since is still refused', () => {
    const dir = oldCheckout();
    writeFile(dir, application, readFile(dir, application).replace('targetRevision: main', 'targetRevision: hotfix'));
    const plan = new CheckoutWriter({ directory: dir, files: treeOf(pullRequest(true)) }).plan();
    expect(plan.conflicts.map((c) => [c.path, c.reason])).toEqual([[application, 'was edited by hand since the writer generated it']]);
  });
});

describe('pruning', () => {
  test("a removed app's files are pruned with the directories they leave empty; a file someone added there stays", () => {
    const dir = gitCheckout();
    write(dir, treeOf(specWithApps(2)));
    writeFile(dir, 'app2/overlays/production/.argocd-source-app2.yaml', 'kustomize: {}\n');
    commitAll(dir, 'two apps');

    const plan = write(dir, treeOf(specWithApps(1)));
    expect(plan.removed).toEqual([
      'app2/base/kustomization.yaml',
      'app2/base/migration.yaml',
      'app2/base/workload.yaml',
      'app2/overlays/production/deployment-patch.yaml',
      'app2/overlays/production/external-dns.yaml',
      'app2/overlays/production/ingress.yaml',
      'app2/overlays/production/kustomization.yaml',
      'app2/overlays/production/migration-service-account.yaml',
      'app2/overlays/production/secrets/external-secret.yaml',
      'app2/overlays/production/secrets/kustomization.yaml',
      'argocd/apps/app2-secrets.yaml',
      'argocd/apps/app2.yaml',
    ]);
    expect(existsSync(join(dir, 'app2/base'))).toBe(false);
    expect(listFiles(dir).filter((p) => p.startsWith('app2/'))).toEqual(['app2/overlays/production/.argocd-source-app2.yaml']);
    expect(Object.keys(JSON.parse(readFile(dir, CheckoutWriter.INDEX_FILE)).files).some((p) => p.startsWith('app2/'))).toBe(false);
  });

  test('an overlay whose tags were moved is still pruned with its app (the state goes with the app)', () => {
    const dir = gitCheckout();
    write(dir, treeOf(specWithApps(2)));
    kustomizeEditSetImage(join(dir, 'app2/overlays/production'), [`${REGISTRY}/sandbox/app2/app=${REGISTRY}/sandbox/app2/app:v2.0.0`]);
    expect(write(dir, treeOf(specWithApps(1))).removed).toContain('app2/overlays/production/kustomization.yaml');
  });
});

describe('hand edits', () => {
  const dir = gitCheckout();
  write(dir, treeOf(sandboxSpec()));
  commitAll(dir, 'manifests');
  const edited = 'argocd/apps/main.yaml';
  writeFile(dir, edited, readFile(dir, edited).replace('selfHeal: true', 'selfHeal: false'));
  commitAll(dir, 'turn off self-heal by hand');

  test('a hand-edited generated file is refused, the message naming it, and nothing is written', () => {
    const spec = sandboxSpec();
    spec.apps[0].replicas = 3;
    const before = treeHash(dir);
    expect(() => write(dir, treeOf(spec))).toThrow(
      new RegExp(`1 file the writer will not overwrite; nothing was written\\n  - ${edited}: was edited by hand since the writer generated it\\n.*--force`),
    );
    expect(treeHash(dir)).toBe(before);
  });

  test('--force (force: true) overwrites it', () => {
    const plan = write(dir, treeOf(sandboxSpec()), true);
    expect(plan.forced).toEqual([edited]);
    expect(plan.changed).toEqual([edited]);
    expect(readFile(dir, edited)).toContain('selfHeal: true');
  });

  test('a corrupt generated file or index is reported with its name, never as an error from inside the writer', () => {
    const corrupt = gitCheckout();
    write(corrupt, treeOf(sandboxSpec()));
    const overlay = 'main/overlays/production/kustomization.yaml';
    for (const content of ['images: 5\n', 'images: [[1', 'images:\n  - 7\n']) {
      writeFile(corrupt, overlay, content);
      expect(() => write(corrupt, treeOf(sandboxSpec()))).toThrow(new RegExp(`- ${overlay}: was edited by hand`));
      expect(write(corrupt, treeOf(sandboxSpec()), true).forced).toEqual([overlay]);
    }
    writeFile(corrupt, CheckoutWriter.INDEX_FILE, 'images: 5\n');
    expect(() => write(corrupt, treeOf(sandboxSpec()))).toThrow(/\.cdk-eks-gitops\.json: not a readable index .*delete it and run the writer again/);
  });

  test('a file at a generated path that the writer did not generate is refused unless it is what the spec generates', () => {
    const files = treeOf(sandboxSpec());
    const fresh = gitCheckout({ 'README.md': '# our manifests\n', 'argocd/bootstrap/project.yaml': files.find((f) => f.path === 'argocd/bootstrap/project.yaml')!.content });
    expect(() => write(fresh, files)).toThrow(/- README\.md: exists, and the writer did not generate it/);
    const plan = new CheckoutWriter({ directory: fresh, files }).plan();
    // The identical file is simply taken over.
    expect(plan.unchanged).toEqual(['argocd/bootstrap/project.yaml']);
  });

  test('a directory or a symbolic link in the way is refused even with force', () => {
    const files = treeOf(sandboxSpec());
    const fresh = gitCheckout();
    mkdirSync(join(fresh, 'README.md'));
    symlinkSync(tmpdir(), join(fresh, 'main'));
    const plan = new CheckoutWriter({ directory: fresh, files, force: true }).plan();
    expect(plan.conflicts).toEqual(
      expect.arrayContaining([
        { path: 'README.md', reason: 'is a directory; the writer generates a file there', forceable: false, adoptable: false },
        { path: 'main/base/workload.yaml', reason: 'main is a symbolic link, where the writer needs a directory', forceable: false, adoptable: false },
      ]),
    );
    expect(() => write(fresh, files, true)).toThrow(/Move what is in the way/);
  });
});

describe('a manifest repository created on GitHub, with its default README', () => {
  // GitHub's "Add a README file" commits README.md holding "# <repository name>" (and the
  // description, when one is given) as the repository's first commit.
  const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(sandboxSpec()));
  const overview = ManifestRepository.forEnvironments(platforms).manifestFiles().find((f) => f.path === 'README.md')!.content;
  const writer = (dir: string, props: { adopt?: boolean; force?: boolean } = {}) =>
    PlatformCheckouts.writers(platforms, { manifests: dir, ...props })[0].writer;

  test('the first write keeps the README and puts the overview beside it, as MANIFESTS.md; the next finds nothing to do', () => {
    const dir = gitCheckout({ 'README.md': '# sandbox-manifests\nManifests of the sandbox platform\n' });
    const plan = writer(dir).apply();
    expect(plan.yielded).toEqual(['README.md -> MANIFESTS.md']);
    expect(plan.kept).toEqual(['README.md']);
    expect(plan.conflicts).toEqual([]);
    expect(readFile(dir, 'README.md')).toBe('# sandbox-manifests\nManifests of the sandbox platform\n');
    expect(readFile(dir, 'MANIFESTS.md')).toBe(overview);
    expect(overview).toContain('| `./` | `README.md` | this overview (written as MANIFESTS.md instead when the repository has a README.md of its own, which the writer keeps) |');
    const index = Object.keys(JSON.parse(readFile(dir, CheckoutWriter.INDEX_FILE)).files);
    expect([index.includes('MANIFESTS.md'), index.includes('README.md')]).toEqual([true, false]);
    commitAll(dir, 'manifests');
    expect(writer(dir).upToDate()).toBe(true);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('with adopt, the overview takes the README\'s place (and MANIFESTS.md, written before, goes)', () => {
    const dir = gitCheckout({ 'README.md': '# sandbox-manifests\n' });
    writer(dir).apply();
    commitAll(dir, 'manifests');
    const plan = writer(dir, { adopt: true }).apply();
    expect([plan.adopted, plan.changed, plan.removed, plan.yielded]).toEqual([['README.md'], ['README.md'], ['MANIFESTS.md'], []]);
    expect(readFile(dir, 'README.md')).toBe(overview);
    expect(existsSync(join(dir, 'MANIFESTS.md'))).toBe(false);
    expect(writer(dir).upToDate()).toBe(true);
  });

  test('a file at a generated path that the writer never generated is refused with --adopt as the way out, not --force, and is not called hand-edited', () => {
    const dir = gitCheckout({ 'README.md': '# sandbox-manifests\n', 'argocd/bootstrap/project.yaml': '# ours\n' });
    const message = (() => {
      try {
        writer(dir, { force: true }).apply();
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toBe(
      `${dir}: 1 file the writer will not overwrite; nothing was written\n` +
        '  - argocd/bootstrap/project.yaml: exists, and the writer did not generate it (it is not in the index); move it away, or take it over with --adopt\n' +
        'Move the files the writer did not generate out of the way, or run again with --adopt to replace them with the generated ones.',
    );
    expect(readFile(dir, 'argocd/bootstrap/project.yaml')).toBe('# ours\n');
  });
});

describe('all or nothing', () => {
  test('when the checkout changes between plan and swap, every step already taken is rolled back', () => {
    const dir = gitCheckout({ 'notes.md': 'mine\n' });
    write(dir, treeOf(specWithApps(2)));
    commitAll(dir, 'two apps');
    // Adding an app, dropping one and changing another: files to add (in new directories), to change
    // and to remove, and the index, which is swapped last.
    const spec = JSON.parse(JSON.stringify(specWithApps(3)));
    spec.apps.splice(1, 1);
    spec.apps[0].replicas = 5;
    const writer = new CheckoutWriter({ directory: dir, files: treeOf(spec) });
    const plan = writer.plan();
    expect([plan.added.length, plan.changed.length, plan.removed.length, plan.indexChanged]).toEqual([12, 4, 12, true]);

    // Someone else changes the index after the plan was made (a pull, another writer).
    writeFile(dir, CheckoutWriter.INDEX_FILE, `${readFile(dir, CheckoutWriter.INDEX_FILE)} `);
    const before = treeHash(dir);
    expect(() => writer.apply()).toThrow(`${dir}/${CheckoutWriter.INDEX_FILE} changed while the writer was writing (after it planned); nothing was written`);
    expect(treeHash(dir)).toBe(before);
    expect(readdirSync(join(dir, '..')).filter((n) => n.startsWith(`.${dir.split('/').pop()}.cdk-eks-gitops-`))).toEqual([]);
  });

  test('several checkouts are written as one: a conflict in one leaves all of them as they were', () => {
    const a = gitCheckout();
    const b = gitCheckout({ 'README.md': 'not generated\n' });
    const [hashA, hashB] = [treeHash(a), treeHash(b)];
    const files = treeOf(sandboxSpec());
    expect(() => CheckoutWriter.applyAll([new CheckoutWriter({ directory: a, files }), new CheckoutWriter({ directory: b, files })])).toThrow(/README\.md: exists/);
    expect([treeHash(a), treeHash(b)]).toEqual([hashA, hashB]);
  });

  test('a directory that does not exist is named, with how to make it', () => {
    expect(() => write('/nonexistent/manifests', treeOf(sandboxSpec()))).toThrow('/nonexistent/manifests is not a directory: clone the repository there first');
  });
});

describe('drift check', () => {
  test('reports drift as a unified diff that git apply turns into what the spec produces', () => {
    const dir = gitCheckout();
    write(dir, treeOf(sandboxSpec()));
    commitAll(dir, 'manifests');
    const spec = sandboxSpec();
    spec.apps[0].replicas = 4;
    const writer = new CheckoutWriter({ directory: dir, files: treeOf(spec) });
    expect(writer.upToDate()).toBe(false);
    const diff = writer.diff();
    expect(diff).toContain('--- a/main/overlays/production/deployment-patch.yaml\n+++ b/main/overlays/production/deployment-patch.yaml\n');
    expect(diff).toContain('-  replicas: 2\n+  replicas: 4\n');

    writeFileSync(join(dir, '..', `${dir.split('/').pop()}.diff`), diff);
    git(dir, 'apply', join(dir, '..', `${dir.split('/').pop()}.diff`));
    expect(new CheckoutWriter({ directory: dir, files: treeOf(spec) }).upToDate()).toBe(true);
  });

  test('an index entry whose file is gone by hand is drift too, and a write restores it', () => {
    const dir = gitCheckout();
    const files = treeOf(sandboxSpec());
    write(dir, files);
    rmSync(join(dir, 'main/base/migration.yaml'));
    const writer = new CheckoutWriter({ directory: dir, files });
    expect(writer.diff()).toContain('--- /dev/null\n+++ b/main/base/migration.yaml\n');
    expect(writer.apply().added).toEqual(['main/base/migration.yaml']);
  });
});

describe('the state rules', () => {
  const path = 'main/overlays/production/kustomization.yaml';
  const generated = treeOf(sandboxSpec()).find((f) => f.path === path)!.content;

  test('a moved tag or kustomize re-formatting keeps the fingerprint; any other change does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'overlay-'));
    writeFileSync(join(dir, 'kustomization.yaml'), generated);
    kustomizeEditSetImage(dir, [`${REGISTRY}/sandbox/main/app=${REGISTRY}/sandbox/main/app:v9.9.9`]);
    const reformatted = readFile(dir, 'kustomization.yaml');
    expect(reformatted).not.toContain('includeSelectors');
    expect(OwnedState.fingerprint(path, reformatted)).toBe(OwnedState.fingerprint(path, generated));
    expect(OwnedState.fingerprint(path, reformatted.replace('env: production', 'env: staging'))).not.toBe(OwnedState.fingerprint(path, generated));
    // Outside kustomizations every byte counts (line endings aside).
    expect(OwnedState.fingerprint('a.yaml', 'a: 1\n')).not.toBe(OwnedState.fingerprint('a.yaml', 'a:  1\n'));
    expect(OwnedState.fingerprint('a.yaml', 'a: 1\r\n')).toBe(OwnedState.fingerprint('a.yaml', 'a: 1\n'));
  });

  test('keep carries newName, newTag and digest over for images the spec still generates', () => {
    const current = generated.replace(/(sandbox\/main\/app\n\s+newTag: )v0\.0\.1/, '$1v2.0.0');
    const kept = parse(OwnedState.keep(path, generated, current));
    expect(kept.images.map((i: any) => i.newTag)).toEqual(['v2.0.0', 'v0.0.1', 'v0.0.1']);
    expect(OwnedState.keep(path, generated, current).startsWith('# Generated by cdk-eks-gitops')).toBe(true);
  });

  test('each distinct text is parsed once, and what one reader changes does not reach the next', () => {
    // Texts of this test's own (a comment line apart), so that no earlier test has parsed them.
    const ours = `${generated}# parsed once\n`;
    const current = ours.replace(/(sandbox\/main\/app\n\s+newTag: )v0\.0\.1/, '$1v2.0.0');
    // The yaml module the writer's modules share (a namespace import's properties cannot be spied on).
    const parses = jest.spyOn(jest.requireActual<typeof import('yaml')>('yaml'), 'parse');
    try {
      // keep changes the generated file's images as it reads them: a second keep that got the same
      // object back would find the tag already moved and return the generated text unchanged.
      const kept = OwnedState.keep(path, ours, current);
      expect(kept).not.toBe(ours);
      expect(OwnedState.keep(path, ours, current)).toBe(kept);
      expect(OwnedState.describe(path, ours, current)).toEqual(['app v2.0.0']);
      expect(OwnedState.fingerprint(path, current)).toBe(OwnedState.fingerprint(path, ours));
      expect(parses.mock.calls.map(([text]) => text).sort()).toEqual([current, ours].sort());
    } finally {
      parses.mockRestore();
    }
  });
});

describe('the unified diff', () => {
  test('git apply turns the old text into the new one, for insertions, deletions and a missing final newline', () => {
    const dir = gitCheckout();
    const cases: [string, string][] = [
      ['a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n', 'a\nB\nc\nd\ne\nf\ng\nh\nI\nj\nk\n'],
      ['one\ntwo\n', 'two\nthree'],
      ['x\n'.repeat(20), 'x\n'.repeat(10) + 'y\n' + 'x\n'.repeat(10)],
    ];
    for (const [i, [before, after]] of cases.entries()) {
      writeFile(dir, `f${i}`, before);
      writeFileSync(join(dir, `f${i}.diff`), unifiedDiff(`f${i}`, before, after));
      git(dir, 'apply', `f${i}.diff`);
      expect(readFile(dir, `f${i}`)).toBe(after);
    }
    expect(unifiedDiff('same', 'a\n', 'a\n')).toBe('');
  });
});

describe('on 200 applications', () => {
  // How long these writes take is measured by `npm run bench` (the checkout writer on 200 apps), not
  // asserted here: a wall-clock limit fails on a loaded machine and proves nothing about behaviour.
  test('a first write into a fresh Git checkout adds every file; a second, with nothing to change, writes nothing', () => {
    const files = treeOf(specWithApps(200));
    const dir = gitCheckout();
    const first = write(dir, files);
    expect(first.added).toHaveLength(files.length);
    const before = treeHash(dir);
    const second = write(dir, files);
    expect(second.unchanged).toHaveLength(files.length);
    expect([second.added, second.changed, second.removed, second.indexChanged]).toEqual([[], [], [], false]);
    expect(treeHash(dir)).toBe(before);
  });
});
