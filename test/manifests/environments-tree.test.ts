// One manifest repository for every environment of a platform (examples/two-environments: staging
// follows releases, production is promoted from it). What this proves, from the tree alone, the way
// Argo CD and the checkout writer see it:
// - every path is written once: each environment's under a directory named after it, the shared
//   ones (each application's base, Argo CD's install) identical in every environment;
// - `<app>/base/` holds nothing environment-specific, and each environment's cluster, bootstrapped
//   from its own `argocd/bootstrap/<env>/`, applies only its own objects, built by kubectl kustomize
//   and valid against the upstream CRDs;
// - the writer prunes exactly a removed environment's files and keeps the tags others moved.
import { readdirSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import type { PlatformSpec } from '../../lib/model/types';
import { CheckoutWriter } from '../../lib/output/checkout-writer';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath } from '../fixtures';
import { argoCdObjects } from '../support/argocd-objects';
import { commitAll, git, gitCheckout, readFile } from '../support/git-checkout';
import { unknownFieldErrors } from '../support/k8s-strict';
import { kustomize, parseYaml, schemaErrors, writeTree } from '../support/manifest-checks';
import { kustomizeEditSetImage } from '../support/tag-movers';

const twoEnvironmentSpec = (): PlatformSpec => PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml'));
const platforms = Platform.resolveEnvironments(twoEnvironmentSpec());
const [staging, production] = platforms;
const files = ManifestRepository.forEnvironments(platforms).manifestFiles();
const paths = files.map((f) => f.path);
const REGISTRY = '111111111111.dkr.ecr.ap-northeast-1.amazonaws.com';

/** The example with a third environment, qa (its own account), promoted from staging like production. */
function threeEnvironmentSpec(): PlatformSpec {
  const spec = twoEnvironmentSpec() as any;
  spec.environments.push({
    name: 'qa',
    aws: { account: '333333333333' },
    promoteFrom: 'staging',
    dns: { domain: 'qa.example.com', hostedZoneId: 'Z0QA000000000000000' },
    apps: [
      {
        name: 'main',
        host: 'shop.qa.example.com',
        migrationPermissions: [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:333333333333:dbuser:db-QA/app'] }],
      },
    ],
  });
  return spec;
}

describe('one tree, every path written once', () => {
  test('each environment has its own bootstrap, Applications and overlays; the base and the install are written once; production gets a promotion workflow', () => {
    expect(paths).toEqual([
      '.github/workflows/promote-production.yml',
      'argocd_image_updater/overlays/staging/config-map.yaml',
      'argocd_image_updater/overlays/staging/deployment.yaml',
      'argocd_image_updater/overlays/staging/ecr-login.yaml',
      'argocd_image_updater/overlays/staging/image-updaters.yaml',
      'argocd_image_updater/overlays/staging/kustomization.yaml',
      'argocd_image_updater/overlays/staging/service-account.yaml',
      'argocd/apps/production/main-production-secrets.yaml',
      'argocd/apps/production/main-production.yaml',
      'argocd/apps/staging/argocd-image-updater.yaml',
      'argocd/apps/staging/main-staging-secrets.yaml',
      'argocd/apps/staging/main-staging.yaml',
      'argocd/bootstrap/install/argocd-cm.yaml',
      'argocd/bootstrap/install/kustomization.yaml',
      'argocd/bootstrap/production/kustomization.yaml',
      'argocd/bootstrap/production/project.yaml',
      'argocd/bootstrap/production/repository-credentials.yaml',
      'argocd/bootstrap/production/root-application.yaml',
      'argocd/bootstrap/staging/kustomization.yaml',
      'argocd/bootstrap/staging/project.yaml',
      'argocd/bootstrap/staging/repository-credentials.yaml',
      'argocd/bootstrap/staging/root-application.yaml',
      'main/base/kustomization.yaml',
      'main/base/migration.yaml',
      'main/base/workload.yaml',
      'main/overlays/production/deployment-patch.yaml',
      'main/overlays/production/external-dns.yaml',
      'main/overlays/production/ingress.yaml',
      'main/overlays/production/kustomization.yaml',
      'main/overlays/production/migration-service-account.yaml',
      'main/overlays/production/secrets/external-secret.yaml',
      'main/overlays/production/secrets/kustomization.yaml',
      'main/overlays/staging/deployment-patch.yaml',
      'main/overlays/staging/external-dns.yaml',
      'main/overlays/staging/ingress.yaml',
      'main/overlays/staging/kustomization.yaml',
      'main/overlays/staging/migration-service-account.yaml',
      'main/overlays/staging/secrets/external-secret.yaml',
      'main/overlays/staging/secrets/kustomization.yaml',
      'README.md',
    ]);
  });

  test('the tree is the same whatever order the environments are given in, and refuses a missing, repeated or foreign one', () => {
    expect(ManifestRepository.forEnvironments([production, staging]).manifestFiles()).toEqual(files);
    expect(() => ManifestRepository.forEnvironments([staging])).toThrow(
      "ManifestRepository.forEnvironments: platform 'shop' has environments staging, production, and production is missing; one repository holds every environment, and a tree without one would prune its files from the checkout",
    );
    expect(() => new ManifestRepository(production)).toThrow(/production, and staging is missing.*ManifestRepository\.forEnvironments\(Platform\.resolveEnvironments\(spec\)\)/);
    expect(() => ManifestRepository.forEnvironments([staging, staging, production])).toThrow("environment 'staging' is given twice");
    const other = Platform.resolveEnvironments({ ...twoEnvironmentSpec(), name: 'other' });
    expect(() => ManifestRepository.forEnvironments([staging, other[1]])).toThrow("environments of platforms 'shop' and 'other'");
  });
});

describe('<app>/base/ holds nothing environment-specific', () => {
  const base = files.filter((f) => f.path.startsWith('main/base/'));

  test('no account but the shared registry\'s, no role ARN, host, domain, region or environment name', () => {
    // The images are built once, into the registry every environment pulls from (issue: images are
    // built once), so the base names them by that registry; nothing else may name an account.
    const text = base.map((f) => f.content.split(REGISTRY).join('REGISTRY')).join('\n');
    for (const specific of ['arn:', '111111111111', '222222222222', 'example.com', 'ap-northeast-1', 'staging', 'production', 'Z0STAGING', 'Z0123456789']) {
      expect({ specific, found: text.includes(specific) }).toEqual({ specific, found: false });
    }
  });

  test('the overlays hold what differs: each environment\'s roles, host, replicas and resources', () => {
    const built = (p: ResolvedPlatform) => kustomize(writeTree(files), p.apps[0].paths.overlay);
    const [s, pr] = [built(staging), built(production)];
    const roleArns = (objects: any[]) => objects.flatMap((o) => o.metadata.annotations?.['eks.amazonaws.com/role-arn'] ?? []).sort();
    expect(roleArns(s)).toEqual(['arn:aws:iam::111111111111:role/shop-staging-main-external-dns', 'arn:aws:iam::111111111111:role/shop-staging-main-migration']);
    expect(roleArns(pr)).toEqual(['arn:aws:iam::222222222222:role/shop-production-main-external-dns', 'arn:aws:iam::222222222222:role/shop-production-main-migration']);
    const host = (objects: any[]) => objects.find((o) => o.kind === 'Ingress').spec.rules.map((r: any) => r.host);
    expect([host(s), host(pr)]).toEqual([['shop.staging.example.com'], ['shop.example.com']]);
    const deployment = (objects: any[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'main').spec;
    expect([deployment(s).replicas, deployment(pr).replicas]).toEqual([1, 3]);
    const appResources = (objects: any[]) => deployment(objects).template.spec.containers.find((c: any) => c.name === 'app').resources;
    expect(appResources(pr)).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(appResources(s)).not.toEqual(appResources(pr));
  });
});

describe.each(['staging', 'production'])("%s's cluster applies only its own objects", (environment) => {
  const platform = platforms.find((p) => p.environment === environment)!;
  const objects = argoCdObjects(files, `argocd/bootstrap/${environment}`);
  const allApplications = Object.values<any>(objects.applications);
  const built = Object.values(objects.sources).flatMap((s) => s.objects ?? []);

  test('its root app syncs its own Applications directory, in its own project', () => {
    const root = objects.bootstrap.objects!.find((o) => o.kind === 'Application');
    expect(root.metadata.name).toBe(`shop-${environment}-root`);
    expect(root.spec.source.path).toBe(`argocd/apps/${environment}`);
    const project = objects.bootstrap.objects!.find((o) => o.kind === 'AppProject');
    expect(project.metadata.name).toBe(`shop-${environment}`);
    for (const application of allApplications) expect(application.spec.project).toBe(`shop-${environment}`);
  });

  test('every child Application is named for it and syncs a path of its own', () => {
    const expected = environment === 'staging' ? ['argocd-image-updater', 'main-staging', 'main-staging-secrets'] : ['main-production', 'main-production-secrets'];
    expect(Object.keys(objects.applications).sort()).toEqual(expected);
    for (const application of allApplications) {
      expect(application.spec.source.path).toMatch(new RegExp(`^(main/overlays/${environment}(/secrets)?|argocd_image_updater/overlays/${environment})$`));
    }
  });

  test('what it builds names only its own account and cluster, and is valid against the upstream CRDs', () => {
    const other = environment === 'staging' ? '222222222222' : '111111111111';
    const ownText = JSON.stringify(built).split(REGISTRY).join('REGISTRY');
    expect(ownText.includes(other)).toBe(false);
    expect(ownText.includes(platform.account)).toBe(true);
    expect(schemaErrors(built)).toEqual([]);
    const builtIn = built.filter((o) => !o.apiVersion.includes('.') || o.apiVersion.includes('k8s.io'));
    expect(builtIn.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'Ingress', 'Job', 'ServiceAccount']));
    expect(unknownFieldErrors(builtIn)).toEqual([]);
    for (const o of built.filter((x) => x.metadata?.labels?.env !== undefined)) expect(o.metadata.labels.env).toBe(environment);
  });

  test('its secrets come from its own Secrets Manager names, through its own role and region', () => {
    const store = built.find((o) => o.kind === 'SecretStore' || o.kind === 'ClusterSecretStore');
    const external = built.find((o) => o.kind === 'ExternalSecret');
    expect(JSON.stringify(store)).toContain(platform.region);
    for (const entry of external.spec.data ?? external.spec.dataFrom) {
      expect(entry.remoteRef.key.startsWith(`shop/${environment}/`)).toBe(true);
    }
  });

  test("its migration Job runs the tag its Deployment rolls out, not another environment's", () => {
    const tree = writeTree(files);
    const overlay = join(tree, 'main/overlays', environment);
    kustomizeEditSetImage(overlay, [`${REGISTRY}/shop/main/app=${REGISTRY}/shop/main/app:v9.${environment.length}.0`]);
    const moved = kustomize(tree, `main/overlays/${environment}`);
    const job = moved.find((o) => o.kind === 'Job');
    expect(job.spec.template.spec.containers[0].image).toBe(`${REGISTRY}/shop/main/migration:v9.${environment.length}.0`);
  });
});

describe('releases arrive in staging only', () => {
  test("the Image Updater runs in staging, and updates staging's Application by its name", () => {
    expect(paths.filter((p) => p.startsWith('argocd_image_updater/'))).toEqual(expect.arrayContaining(['argocd_image_updater/overlays/staging/kustomization.yaml']));
    expect(paths.some((p) => p.startsWith('argocd_image_updater/overlays/production'))).toBe(false);
    const updaters = parseYaml(files.find((f) => f.path === 'argocd_image_updater/overlays/staging/image-updaters.yaml')!.content);
    // argocd-image-updater v1.x: spec.applicationRefs[].namePattern selects Applications by name (glob).
    const patterns = updaters.flatMap((u) => u.spec.applicationRefs.map((r: any) => r.namePattern));
    expect(patterns).toEqual(['main-staging']);
    const stagingApplications = files.filter((f) => f.path.startsWith('argocd/apps/staging/')).flatMap((f) => parseYaml(f.content).map((o) => o.metadata.name));
    expect(stagingApplications).toContain('main-staging');
  });

  test('production moves by its promotion workflow, which copies from staging', () => {
    const workflow = parse(files.find((f) => f.path === '.github/workflows/promote-production.yml')!.content);
    expect(workflow.env).toMatchObject({ FROM: 'staging', TO: 'production' });
  });
});

describe('the checkout writer, environment by environment', () => {
  const three = Platform.resolveEnvironments(threeEnvironmentSpec());
  const qaPaths = (tree: GeneratedFile[]) => tree.map((f) => f.path).filter((p) => /(^|\/)qa(\/|\.|-)|-qa[.-]/.test(p));

  test('removing an environment prunes exactly its files, and keeps the tags moved in the others', () => {
    const dir = gitCheckout();
    const threeTree = ManifestRepository.forEnvironments(three).manifestFiles();
    expect(qaPaths(threeTree)).toEqual([
      '.github/workflows/promote-qa.yml',
      'argocd/apps/qa/main-qa-secrets.yaml',
      'argocd/apps/qa/main-qa.yaml',
      'argocd/bootstrap/qa/kustomization.yaml',
      'argocd/bootstrap/qa/project.yaml',
      'argocd/bootstrap/qa/repository-credentials.yaml',
      'argocd/bootstrap/qa/root-application.yaml',
      'main/overlays/qa/deployment-patch.yaml',
      'main/overlays/qa/external-dns.yaml',
      'main/overlays/qa/ingress.yaml',
      'main/overlays/qa/kustomization.yaml',
      'main/overlays/qa/migration-service-account.yaml',
      'main/overlays/qa/secrets/external-secret.yaml',
      'main/overlays/qa/secrets/kustomization.yaml',
    ]);
    new CheckoutWriter({ directory: dir, files: threeTree }).apply();
    commitAll(dir, 'three environments');
    // A release moved staging, a promotion moved production.
    kustomizeEditSetImage(join(dir, 'main/overlays/staging'), [`${REGISTRY}/shop/main/app=${REGISTRY}/shop/main/app:v2.0.0`]);
    kustomizeEditSetImage(join(dir, 'main/overlays/production'), [`${REGISTRY}/shop/main/app=${REGISTRY}/shop/main/app:v1.9.0`]);
    commitAll(dir, 'tags moved');

    const plan = new CheckoutWriter({ directory: dir, files }).apply();
    expect(plan.removed.sort()).toEqual(qaPaths(threeTree).sort());
    expect(plan.added).toEqual([]);
    expect(plan.changed).toEqual(['README.md']);
    const tagOf = (env: string) => parse(readFile(dir, `main/overlays/${env}/kustomization.yaml`)).images.find((i: any) => i.name.endsWith('/app')).newTag;
    expect([tagOf('staging'), tagOf('production')]).toEqual(['v2.0.0', 'v1.9.0']);
    // What Git sees: qa's files deleted, the README and the writer's index rewritten, nothing else.
    const status = git(dir, 'status', '--porcelain').split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/));
    expect(status.filter(([code]) => code !== 'D').map(([code, path]) => `${code} ${path}`).sort()).toEqual([`M ${CheckoutWriter.INDEX_FILE}`, 'M README.md']);
    expect(status.filter(([code]) => code === 'D').map(([, path]) => path).sort()).toEqual(qaPaths(threeTree).sort());
    expect(readdirSync(join(dir, 'main/overlays')).sort()).toEqual(['production', 'staging']);
  });
});
