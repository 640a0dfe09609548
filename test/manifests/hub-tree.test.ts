// The manifest repository of a platform whose environments share one Argo CD (examples/hub-and-spokes:
// staging's EKS managed Argo CD is the hub, production a spoke). Every environment's bootstrap is
// applied in the hub's Argo CD namespace. What this relies on, from the EKS user guide ("Register
// target clusters"): the managed capability names clusters by ARN, and a cluster Secret
// (`argocd.argoproj.io/secret-type: cluster`, `server: <cluster ARN>`) registers a remote one.
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { ArgoCdMode } from '../../lib/model/argocd-mode';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath } from '../fixtures';
import { argoCdObjects } from '../support/argocd-objects';
import { kustomizationDirs, kustomize, schemaErrors, writeTree } from '../support/manifest-checks';

const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'hub-and-spokes', 'platform.yaml')));
const [staging, production] = platforms;
const files = ManifestRepository.forEnvironments(platforms).manifestFiles();
const paths = files.map((f) => f.path);
const HUB = 'arn:aws:eks:ap-northeast-1:111111111111:cluster/shop-staging';
const SPOKE = 'arn:aws:eks:ap-northeast-1:222222222222:cluster/shop-production';
const objects = { staging: argoCdObjects(files, 'argocd/bootstrap/staging'), production: argoCdObjects(files, 'argocd/bootstrap/production') };

describe('one Argo CD, the hub\'s, for every environment', () => {
  test('each environment\'s bootstrap registers its cluster by ARN; only the hub\'s holds repository credentials; nothing installs Argo CD', () => {
    expect(paths.filter((p) => p.startsWith('argocd/bootstrap/'))).toEqual([
      'argocd/bootstrap/production/cluster.yaml',
      'argocd/bootstrap/production/kustomization.yaml',
      'argocd/bootstrap/production/project.yaml',
      'argocd/bootstrap/production/root-application.yaml',
      'argocd/bootstrap/staging/cluster.yaml',
      'argocd/bootstrap/staging/kustomization.yaml',
      'argocd/bootstrap/staging/project.yaml',
      'argocd/bootstrap/staging/repository-credentials.yaml',
      'argocd/bootstrap/staging/root-application.yaml',
    ]);
    const clusters = [objects.staging, objects.production].flatMap((o) => o.bootstrap.objects!.filter((x) => x.kind === 'Secret'));
    expect(clusters.map((s) => [s.metadata.namespace, s.metadata.labels['argocd.argoproj.io/secret-type'], s.stringData.server])).toEqual([
      ['argocd', 'cluster', HUB],
      ['argocd', 'cluster', SPOKE],
    ]);
  });

  test('the spoke\'s root app puts its child Applications on the hub\'s cluster; its workloads go to its own', () => {
    const bootstrap = objects.production.bootstrap.objects!;
    const root = bootstrap.find((o) => o.kind === 'Application');
    expect(root.spec.destination).toEqual({ server: HUB, namespace: 'argocd' });
    const project = bootstrap.find((o) => o.kind === 'AppProject');
    expect(project.spec.destinations).toEqual([
      { namespace: 'argocd', server: HUB },
      { namespace: 'main', server: SPOKE },
    ]);
    const applications = Object.values<any>(objects.production.applications);
    expect(applications.map((a) => [a.metadata.name, a.metadata.namespace, a.spec.destination.server, a.spec.project]).sort()).toEqual([
      ['main-production', 'argocd', SPOKE, 'shop-production'],
      ['main-production-secrets', 'argocd', SPOKE, 'shop-production'],
    ]);
    // The same repository URL the hub's credentials are for.
    for (const a of [root, ...applications]) expect(a.spec.source.repoURL).toBe(staging.manifestRepository.argocdUrl);
  });

  test('the hub\'s own objects stay on its cluster, and the Image Updater runs only there', () => {
    const applications = Object.values<any>(objects.staging.applications);
    expect(applications.map((a) => [a.metadata.name, a.spec.destination.server]).sort()).toEqual([
      ['argocd-image-updater', HUB],
      ['main-staging', HUB],
      ['main-staging-secrets', HUB],
    ]);
    expect(paths.filter((p) => p.startsWith('argocd_image_updater/overlays/')).every((p) => p.startsWith('argocd_image_updater/overlays/staging/'))).toBe(true);
  });

  test('the tree\'s README says where a spoke\'s bootstrap is applied', () => {
    const readme = files.find((f) => f.path === 'README.md')!.content;
    expect(readme).toContain(
      "production: what the hub's stack applies in the Argo CD of staging: the AppProject, the root app-of-apps and the Secret that registers shop-production by its ARN",
    );
  });

  test('in one Argo CD namespace no two objects share a name', () => {
    const all = [objects.staging, objects.production].flatMap((o) => [...o.bootstrap.objects!, ...Object.values<any>(o.applications)]);
    const ids = all.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining(['Application argocd/shop-staging-root', 'Application argocd/shop-production-root', 'AppProject argocd/shop-production']));
  });

  test('every Argo CD object validates against the upstream CRDs and every kustomization builds', () => {
    const argo = [objects.staging, objects.production].flatMap((o) => [...o.bootstrap.objects!, ...Object.values<any>(o.applications)]);
    expect(schemaErrors(argo)).toEqual([]);
    const tree = writeTree(files);
    const dirs = kustomizationDirs(tree);
    expect(dirs).toEqual(expect.arrayContaining(['argocd/bootstrap/production', 'argocd/bootstrap/staging', 'main/overlays/production']));
    for (const dir of dirs) expect({ dir, built: kustomize(tree, dir).length > 0 }).toEqual({ dir, built: true });
    expect(production.argocd.mode).toBe(ArgoCdMode.SPOKE);
  });
});
