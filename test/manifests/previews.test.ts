// Preview environments, the Argo CD side: the ApplicationSet, the preview overlay as each preview's
// Application builds it, the previews' store, and what closing a pull request removes.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { parse, stringify } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { previewNamespaceRegex } from '../../lib/addons/external-secrets/preview-secret-store';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ARGOCD } from '../../lib/k8s/argocd/annotations';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { PREVIEW_SHORT_SHA_LENGTH } from '../../lib/model/resolve/previews';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { show } from '../../lib/model/shape';
import { validateSpec } from '../../lib/model/validate';
import { PREVIEW_NUMBER_DIGITS } from '../../lib/model/validate/previews';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath, twoEnvironmentsSpec } from '../fixtures';
import { unknownFieldErrors } from '../support/k8s-strict';
import { kustomize, parseYaml, schemaErrors, writeTree } from '../support/manifest-checks';

const previewsSpec = (): any => JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml'))));
const resolve = (spec: any): ResolvedPlatform => Platform.resolve(PlatformSpecLoader.fromObject(spec));
const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);

const platform = resolve(previewsSpec());
const app = platform.apps[0];
const previews = app.previews!;
const files = new ManifestRepository(platform).manifestFiles();
const objectsOf = (path: string): any[] => {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no file ${path}; files: ${files.map((f) => f.path).join(', ')}`);
  return parseYaml(found.content);
};
const platformDir = previews.application.path!;
const applicationSet = objectsOf(`${platformDir}/application-set.yaml`)[0];
const project = objectsOf('argocd/bootstrap/project.yaml')[0];
const previewsProject = objectsOf('argocd/bootstrap/previews-project.yaml')[0];

/** A pull request as the generator gives it (Argo CD v3.4 Generators-Pull-Request, "Template"). */
const PULL_REQUEST = { number: '42', head_short_sha: '0123abcd' };

/**
 * The ApplicationSet's template rendered for one pull request the way goTemplate with
 * missingkey=error renders it: every `{{.name}}` replaced, and a name the generator does not give
 * fails.
 */
function renderTemplate(template: unknown, params: { [key: string]: string }): any {
  const text = JSON.stringify(template).replace(/\{\{\.([a-z_]+)\}\}/g, (_, key: string) => {
    if (!(key in params)) throw new Error(`map has no entry for key "${key}"`);
    return params[key];
  });
  return JSON.parse(text);
}

/**
 * What Argo CD builds for an Application with kustomize parameters: it runs `kustomize edit set
 * namespace`, `kustomize edit set image` and adds the patches to the path's kustomization, then
 * builds it. Done here on a copy of the tree, with `kubectl kustomize`.
 */
function buildAsArgoCd(application: any, tree = writeTree(files)): any[] {
  const { path, kustomize: params } = application.spec.source;
  const file = join(tree, path, 'kustomization.yaml');
  const kustomization = parse(readFileSync(file, 'utf8'));
  kustomization.namespace = params.namespace;
  kustomization.images = params.images.map((image: string) => {
    const [name, replacement] = image.split('=');
    const colon = replacement.lastIndexOf(':');
    return { name, newName: replacement.slice(0, colon), newTag: replacement.slice(colon + 1) };
  });
  kustomization.patches = [...(kustomization.patches ?? []), ...params.patches];
  writeFileSync(file, stringify(kustomization));
  return kustomize(tree, path);
}

const application = renderTemplate(applicationSet.spec.template, PULL_REQUEST);
const built = buildAsArgoCd({ ...applicationSet.spec.template, spec: application.spec });
const previewNamespace = `${previews.namespacePrefix}${PULL_REQUEST.number}`;
const find = (kind: string) => {
  const found = built.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} in ${built.map((o) => o.kind).join(', ')}`);
  return found;
};

describe('the ApplicationSet', () => {
  test('validates strictly against the pinned ApplicationSet CRD, and its Application against the Application CRD', () => {
    expect(schemaErrors([applicationSet])).toEqual([]);
    expect(schemaErrors([{ apiVersion: ARGOCD.apiVersion, kind: 'Application', ...application }])).toEqual([]);
  });

  test('lists the labelled pull requests of the application repository through the GitHub App, every requeueAfterSeconds', () => {
    expect(applicationSet.metadata).toEqual({ name: previews.applicationSetName, namespace: platform.argocd.namespace });
    expect(applicationSet.spec.goTemplate).toBe(true);
    expect(applicationSet.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(applicationSet.spec.generators).toEqual([
      {
        pullRequest: {
          github: { owner: 'example-org', repo: 'sandbox-app', appSecretName: previews.githubApp.kubernetesSecretName, labels: ['preview'] },
          requeueAfterSeconds: previews.requeueAfterSeconds,
        },
      },
    ]);
  });

  test("the GitHub App's Secret is the bootstrap's copy, in Argo CD's namespace, with the repo-creds keys and no secret-type label", () => {
    const copy = objectsOf('argocd/bootstrap/previews-github-app.yaml');
    const externalSecret = copy.find((o) => o.kind === 'ExternalSecret');
    expect(externalSecret.metadata.namespace).toBe(platform.argocd.namespace);
    expect(externalSecret.spec.target).toEqual({ name: applicationSet.spec.generators[0].pullRequest.github.appSecretName, creationPolicy: 'Owner' });
    expect(externalSecret.spec.data.map((d: any) => d.secretKey)).toEqual(['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey']);
    expect(externalSecret.spec.data.every((d: any) => d.remoteRef.key === 'sandbox/argocd/previews')).toBe(true);
    // A repo-creds label without a url would make the Secret a credential template for every repository.
    expect(externalSecret.spec.target.template).toBeUndefined();
    expect(schemaErrors(copy.filter((o) => o.kind !== 'ServiceAccount'))).toEqual([]);
    // Its reader's role reads that one secret.
    const role = platform.workloadRoles.find((r) => r.serviceAccountName === previews.githubApp.reader.serviceAccountName)!;
    expect(role.permissions.flatMap((p) => p.resources)).toEqual([previews.githubApp.secretArnPattern]);
    // The stack names the secret to create.
    const stack = new GitOpsPlatform(cdkApp(), 'x', { platform }).platformStack;
    Template.fromStack(stack).hasOutput('PreviewsGitHubAppSecretName', { Value: 'sandbox/argocd/previews' });
  });

  test("makes Application <app>-pr-<number> in the previews' project, with the resources finalizer and automated sync with prune", () => {
    expect(application.metadata.name).toBe('main-pr-42');
    expect(application.metadata.namespace).toBe(platform.argocd.namespace);
    expect(application.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(application.spec.project).toBe('sandbox-previews');
    expect(application.spec.project).toBe(previewsProject.metadata.name);
    expect(application.spec.destination.namespace).toBe('main-pr-42');
    expect(application.spec.source).toMatchObject({ repoURL: platform.manifestRepository.argocdUrl, path: 'main/previews' });
    expect(application.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    // The Namespace is an object of the Application, not CreateNamespace's (which Argo CD never deletes).
    expect(application.spec.syncPolicy.syncOptions).toBeUndefined();
  });

  test('a parameter the generator does not give fails the render (missingkey=error), not an Application named <no value>', () => {
    expect(() => renderTemplate(applicationSet.spec.template, { number: '42' })).toThrow('head_short_sha');
  });

  test('the image tag is pr-<number>-<head_short_sha>, the 8 characters the generator gives and the build tags with', () => {
    expect(PREVIEW_SHORT_SHA_LENGTH).toBe(8);
    expect(previews.shortShaLength).toBe(8);
    expect(PULL_REQUEST.head_short_sha).toHaveLength(previews.shortShaLength);
    expect(application.spec.source.kustomize.images).toEqual(
      previews.images.map(({ container, image }) => `${app.containers.find((c) => c.name === container)!.image.imageUri}=${image.imageUri}:pr-42-0123abcd`),
    );
  });

  // Argo CD matches a destination's namespace, and a whitelisted cluster resource's name, as a glob
  // (filepath.Match); the projects' globs are names or `<prefix>*`. Its sync checks every object with
  // IsGroupKindNamePermitted(group/kind, name, namespaced): a cluster-scoped kind only when whitelisted.
  const glob = (value: string, pattern: string) => (pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern);
  const admitsNamespace = (p: any, namespace: string, server = application.spec.destination.server) =>
    p.spec.destinations.some((d: any) => d.server === server && glob(namespace, d.namespace));
  const admitsClusterObject = (p: any, group: string, kind: string, name: string) =>
    p.spec.clusterResourceWhitelist.some((w: any) => w.group === group && w.kind === kind && (w.name === undefined || glob(name, w.name)));

  test("the previews' project admits the preview namespaces and, of cluster-scoped objects, those Namespaces only", () => {
    expect(schemaErrors([previewsProject])).toEqual([]);
    expect(previewsProject.metadata.namespace).toBe(platform.argocd.namespace);
    expect(previewsProject.spec.sourceRepos).toEqual([platform.manifestRepository.argocdUrl]);
    expect([...previewsProject.spec.destinations, ...previewsProject.spec.clusterResourceWhitelist].every((d: any) => /^[a-z0-9-]+\*?$/.test(d.namespace ?? d.name))).toBe(true);
    expect(admitsNamespace(previewsProject, 'main-pr-42')).toBe(true);
    for (const other of ['main', previews.readerNamespace, platform.argocd.namespace, 'kube-system']) expect(admitsNamespace(previewsProject, other)).toBe(false);
    expect(admitsClusterObject(previewsProject, '', 'Namespace', 'main-pr-42')).toBe(true);
    expect(admitsClusterObject(previewsProject, '', 'Namespace', 'kube-system')).toBe(false);
    // What the platform's project admits, a preview may not create: no RBAC, store, CRD or node pool.
    for (const w of project.spec.clusterResourceWhitelist.filter((x: any) => x.kind !== 'Namespace')) {
      expect({ ...w, admitted: admitsClusterObject(previewsProject, w.group, w.kind, w.name ?? 'cluster-admin') }).toEqual({ ...w, admitted: false });
    }
    // Every object a preview's Application syncs is admitted.
    for (const o of built) {
      const clusterScoped = o.kind === 'Namespace';
      const admitted = clusterScoped ? admitsClusterObject(previewsProject, '', o.kind, o.metadata.name) : admitsNamespace(previewsProject, o.metadata.namespace);
      expect({ kind: o.kind, name: o.metadata.name, admitted }).toEqual({ kind: o.kind, name: o.metadata.name, admitted: true });
    }
  });

  test("the platform's project admits the previews' own objects by name, and no preview namespace", () => {
    expect(admitsNamespace(project, previews.readerNamespace)).toBe(true);
    expect(admitsNamespace(project, 'main-pr-42')).toBe(false);
    expect(admitsNamespace(project, 'other')).toBe(false);
    expect(admitsClusterObject(project, 'external-secrets.io', 'ClusterSecretStore', previews.storeName)).toBe(true);
    expect(admitsClusterObject(project, 'external-secrets.io', 'ClusterSecretStore', 'any-other-store')).toBe(false);
    const own = objectsOf(`${platformDir}/secret-store.yaml`).concat(objectsOf(`${platformDir}/external-dns.yaml`));
    for (const o of own.filter((x) => x.kind.startsWith('Cluster'))) {
      const [group] = o.apiVersion.split('/');
      expect({ kind: o.kind, admitted: admitsClusterObject(project, group, o.kind, o.metadata.name) }).toEqual({ kind: o.kind, admitted: true });
    }
  });

  test('deletes Applications whose pull request closes or loses its label: no create-only or create-update policy, nothing preserved', () => {
    // Without applicationsSync, the controller's policy applies; the install sets none, so its default, sync.
    expect(applicationSet.spec.syncPolicy?.applicationsSync).toBeUndefined();
    expect(applicationSet.spec.syncPolicy?.preserveResourcesOnDeletion).toBeUndefined();
    const install = readFileSync(repoPath('..', 'shared', 'upstream', 'argo-cd-v3.4.4', 'install.yaml'), 'utf8');
    expect(install).toMatch(/key: applicationsetcontroller\.policy\n\s+name: argocd-cmd-params-cm\n\s+optional: true/);
    const cmdParams = parseYaml(install).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cmd-params-cm');
    expect(cmdParams?.data?.['applicationsetcontroller.policy']).toBeUndefined();
  });
});

describe('the preview overlay, built as the Application builds it', () => {
  test('every object validates: custom resources against the pinned CRDs, built-in kinds against Kubernetes, no unknown field', () => {
    expect(schemaErrors(built)).toEqual([]);
    const builtIn = built.filter((o) => !o.apiVersion.includes('.') || o.apiVersion.includes('k8s.io'));
    expect(unknownFieldErrors(builtIn)).toEqual([]);
  });

  test("a Namespace of its own, and every other object in it: the Application's Namespace goes with it", () => {
    expect(find('Namespace').metadata.name).toBe(previewNamespace);
    for (const object of built.filter((o) => o.kind !== 'Namespace')) {
      expect({ kind: object.kind, namespace: object.metadata.namespace }).toEqual({ kind: object.kind, namespace: previewNamespace });
    }
  });

  test('the preview images at the pull request tag, one replica', () => {
    const deployment = find('Deployment');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers.map((c: any) => c.image)).toEqual(previews.images.map((i) => `${i.image.imageUri}:pr-42-0123abcd`));
  });

  test("the Ingress: host pr-<number>.<host>, in the app's ALB group, labelled for the preview ExternalDNS", () => {
    const ingress = find('Ingress');
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual(['pr-42.sandbox.example.com']);
    expect(ingress.spec.tls).toEqual([{ hosts: ['pr-42.sandbox.example.com'] }]);
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/group.name']).toBe(app.ingress.groupName);
    expect(ingress.metadata.labels['cdk-eks-gitops.io/preview-of']).toBe('main');
  });

  test('the host patch tests the placeholder first: an Ingress that is not the expected one fails the build', () => {
    const tree = writeTree(files);
    const ingressFile = join(tree, 'main/previews/ingress.yaml');
    writeFileSync(ingressFile, readFileSync(ingressFile, 'utf8').split('pr-0.sandbox.example.com').join('sandbox.example.com'));
    expect(() => buildAsArgoCd({ spec: application.spec }, tree)).toThrow(/test/i);
  });

  test('the ExternalSecret reads only the preview prefix, through the previews store', () => {
    const externalSecret = find('ExternalSecret');
    expect(externalSecret.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: previews.storeName });
    expect(new Set(externalSecret.spec.data.map((d: any) => d.remoteRef.key))).toEqual(new Set(['sandbox/main/previews/database-secrets']));
    expect(externalSecret.spec.data.map((d: any) => d.secretKey)).toEqual(app.secret!.keys);
    // The reader's role: that prefix and nothing else.
    expect(previews.secretsReader.permissions.flatMap((p) => p.resources)).toEqual([previews.secretArnPattern]);
    expect(previews.secretArnPattern).toMatch(/:secret:sandbox\/main\/previews\/\*$/);
  });

  test('without previews.migrate, no migration Job', () => {
    expect(built.filter((o) => o.kind === 'Job')).toEqual([]);
  });

  test('with previews.migrate, the PreSync Job at the preview migration image, with a ServiceAccount of no role', () => {
    const spec = previewsSpec();
    spec.apps[0].previews.migrate = true;
    const migrating = resolve(spec);
    const migratingFiles = new ManifestRepository(migrating).manifestFiles();
    const set = parseYaml(migratingFiles.find((f) => f.path.endsWith('previews/application-set.yaml'))!.content)[0];
    const objects = buildAsArgoCd({ spec: renderTemplate(set.spec.template, PULL_REQUEST).spec }, writeTree(migratingFiles));
    const job = objects.find((o) => o.kind === 'Job');
    expect(job.metadata.annotations[ARGOCD.hook]).toBe('PreSync');
    const migrationImage = migrating.apps[0].previews!.images.find((i) => i.container === 'migration')!.image.imageUri;
    expect(job.spec.template.spec.containers.find((c: any) => c.name === 'migration').image).toBe(`${migrationImage}:pr-42-0123abcd`);
    const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === job.spec.template.spec.serviceAccountName);
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toBeUndefined();
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('with a database: no database user Job nor its script (the preview secret names a user that exists), the connection\'s keys from the preview secret, the master\'s only with previews.migrate', () => {
    const build = (migrate: boolean) => {
      const spec = previewsSpec();
      spec.apps[0].previews.migrate = migrate;
      // The database sets the connection's variables the example maps from its own secret.
      spec.apps[0].database = { engine: 'postgresql' };
      spec.apps[0].secret.keys = spec.apps[0].secret.keys.filter((k: string) => !k.startsWith('database-'));
      for (const holder of [...spec.apps[0].containers, spec.apps[0].migration]) {
        for (const name of Object.keys(holder.secretEnv ?? {})) if (name.startsWith('DB_')) delete holder.secretEnv[name];
      }
      expect(problems(spec)).toEqual([]);
      const withDatabase = new ManifestRepository(resolve(spec)).manifestFiles();
      // The base has them, for the app's own environments.
      expect(withDatabase.some((f) => f.path === 'main/base/database-user.yaml')).toBe(true);
      const set = parseYaml(withDatabase.find((f) => f.path.endsWith('previews/application-set.yaml'))!.content)[0];
      return buildAsArgoCd({ spec: renderTemplate(set.spec.template, PULL_REQUEST).spec }, writeTree(withDatabase));
    };
    for (const migrate of [false, true]) {
      const objects = build(migrate);
      expect(objects.filter((o) => o.metadata.name === 'main-database-user')).toEqual([]);
      const externalSecrets = objects.filter((o) => o.kind === 'ExternalSecret');
      const keys = externalSecrets.find((o) => o.metadata.name === app.secret!.externalSecretName).spec.data.map((d: any) => d.secretKey);
      expect(keys.filter((k: string) => k.startsWith('database-'))).toEqual(['database-host', 'database-port', 'database-username', 'database-password', 'database-dbname']);
      // The migration's master Secret, from the preview secret's database-master-* properties, only when the preview migrates.
      const master = externalSecrets.find((o) => o.metadata.name === 'main-database-master');
      if (migrate) {
        expect(master.metadata.namespace).toBe(previewNamespace);
        expect(master.spec.data.map((d: any) => [d.secretKey, d.remoteRef.property])).toEqual([['username', 'database-master-username'], ['password', 'database-master-password']]);
        const job = objects.find((o) => o.kind === 'Job' && o.metadata.name === 'main-migration');
        const env = job.spec.template.spec.containers[0].env;
        expect(env.find((e: any) => e.name === 'DB_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'main-database-master', key: 'password' });
      } else {
        expect(master).toBeUndefined();
      }
      expect(schemaErrors(objects)).toEqual([]);
    }
  });
});

describe("the previews' own objects", () => {
  const objects = kustomize(writeTree(files), platformDir);
  const store = objects.find((o) => o.kind === 'ClusterSecretStore');

  test('are a child Application of the root app, and every object validates', () => {
    const child = objectsOf(`${platform.argocd.appsPath}/${previews.application.name}.yaml`)[0];
    expect(child.spec.source.path).toBe(platformDir);
    expect(child.spec.destination.namespace).toBe('main-previews');
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('the store admits only the preview namespaces (^<app>-pr-[0-9]+$)', () => {
    expect(store.spec.conditions).toEqual([{ namespaceRegexes: [previewNamespaceRegex(previews)] }]);
    // Go's regexp and JavaScript's agree on this pattern: anchors, a literal prefix and a digit class.
    const admits = (namespace: string) =>
      store.spec.conditions.some((c: any) => c.namespaceRegexes.some((r: string) => new RegExp(r).test(namespace)));
    for (const namespace of ['main-pr-1', 'main-pr-42', 'main-pr-9999999']) expect({ namespace, admitted: admits(namespace) }).toEqual({ namespace, admitted: true });
    for (const namespace of ['main', 'main-previews', 'main-pr-', 'main-pr-42x', 'xmain-pr-1', 'other-pr-1', 'main-pr-1-a', platform.argocd.namespace]) {
      expect({ namespace, admitted: admits(namespace) }).toEqual({ namespace, admitted: false });
    }
  });

  test("the store authenticates as the secrets reader, in <app>-previews, annotated with the reader's role", () => {
    expect(store.spec.provider.aws.auth.jwt.serviceAccountRef).toEqual({ name: previews.secretsReader.serviceAccountName, namespace: 'main-previews' });
    const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === previews.secretsReader.serviceAccountName);
    expect(account.metadata.namespace).toBe('main-previews');
    expect(account.metadata.annotations).toEqual(previews.secretsReader.serviceAccountAnnotations);
    expect(app.workloadRoles).toContain(previews.secretsReader);
  });

  test('the preview ExternalDNS reads only the preview Ingresses, syncs (deletes what it owns once the source is gone), under its own owner id', () => {
    const args: string[] = objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining(['--label-filter=cdk-eks-gitops.io/preview-of=main', '--policy=sync', `--txt-owner-id=${previews.externalDnsOwnerId}`]));
    expect(args.some((a) => a.startsWith('--namespace'))).toBe(false);
    expect(previews.externalDnsOwnerId).not.toBe(app.externalDnsOwnerId);
    expect(app.workloadRoles).toContain(previews.externalDns);
  });
});

describe('closing a pull request', () => {
  // The order, as docs/previews.md states it; each step is a fact of the objects above.
  const steps = [
    'the generator no longer lists the pull request',
    'the ApplicationSet deletes the Application',
    'the resources finalizer deletes what the Application made',
    'the Namespace goes, and everything in it',
    "the load balancer controller's finalizer removes the Ingress's rules from the ALB",
    'ExternalDNS deletes the records',
    'the Application goes',
  ];

  test('removes everything, in the order docs/previews.md documents', () => {
    const doc = readFileSync(repoPath('docs', 'previews.md'), 'utf8');
    const teardown = doc.slice(doc.indexOf('## Teardown'));
    const positions = steps.map((step) => teardown.indexOf(step));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // 1-2: the generator follows its pull requests; no policy keeps an Application it no longer lists.
    expect(applicationSet.spec.generators[0].pullRequest.github.labels).toEqual([previews.label]);
    expect(applicationSet.spec.syncPolicy).toBeUndefined();
    // 3: the Application deletes its resources before it goes.
    expect(application.metadata.finalizers).toContain(ARGOCD.resourcesFinalizer);
    // 4: nothing of a preview outlives its Namespace: every object but the Namespace is in it, none is cluster-scoped.
    expect(built.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([previewNamespace]);
    expect(built.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== previewNamespace)).toEqual([]);
    // ...and the Secret is the ExternalSecret's (Owner), so it goes with it.
    expect(find('ExternalSecret').spec.target.creationPolicy).toBe('Owner');
    // 5: the Ingress is the load balancer controller's (its class), in the app's group.
    expect(find('Ingress').spec.ingressClassName).toBe(app.ingress.className);
    // 6: the preview ExternalDNS syncs the Ingress's records.
    const dns = kustomize(writeTree(files), platformDir).find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].args;
    expect(dns).toContain('--policy=sync');
    expect(dns).toContain(`--label-filter=cdk-eks-gitops.io/preview-of=${app.name}`);
    expect(find('Ingress').metadata.labels['cdk-eks-gitops.io/preview-of']).toBe(app.name);
  });
});

describe("the manifest repository's README", () => {
  /** The README's row of the bootstrap directory, and the objects of the files it lists. */
  const bootstrapOf = (spec: any) => {
    const resolved = resolve(spec);
    const tree = new ManifestRepository(resolved).manifestFiles();
    const dir = resolved.argocd.bootstrapPath;
    const readme = tree.find((f) => f.path === 'README.md')!.content;
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${dir}/\` |`))!;
    const objects = tree.filter((f) => f.path.startsWith(`${dir}/`) && !f.path.slice(dir.length + 1).includes('/') && !f.path.endsWith('kustomization.yaml'))
      .flatMap((f) => parseYaml(f.content));
    return { row, objects };
  };

  test.each([
    ['the previews example', previewsSpec],
    ['the sandbox, without previews', () => JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'sandbox', 'platform.yaml'))))],
    ['the managed Argo CD example', () => JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml'))))],
  ])('%s: the bootstrap row names every AppProject, the root app and every Secret the bootstrap copies', (_what, spec) => {
    const { row, objects } = bootstrapOf(spec());
    const named = objects.flatMap((o) => {
      if (o.kind === 'AppProject' || o.kind === 'Application') return [o.metadata.name];
      if (o.kind === 'ExternalSecret') return [o.spec.target.name];
      return [];
    });
    expect(named.length).toBeGreaterThan(1);
    for (const name of named) expect({ name, named: row.includes(`\`${name}\``) }).toEqual({ name, named: true });
    const projects = objects.filter((o) => o.kind === 'AppProject').length;
    expect(row).toContain(projects > 1 ? 'the AppProjects' : 'the AppProject `');
    expect(row.includes('registers the cluster')).toBe(objects.some((o) => o.kind === 'Secret' && o.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster'));
  });

  test("the previews example's bootstrap row says which project is the previews'", () => {
    expect(bootstrapOf(previewsSpec()).row).toContain(`\`${platform.argocd.project}\` (the platform's Applications) and \`${platform.project.previews!.name}\` (the preview Applications)`);
  });
});

describe('validation of apps[].previews', () => {
  const withPreviews = (change: (spec: any) => void) => {
    const spec = previewsSpec();
    change(spec);
    return problems(spec);
  };

  test('the example is valid', () => {
    expect(problems(previewsSpec())).toEqual([]);
  });

  test('a GitHub App secret outside <platform>/argocd/ is refused', () => {
    expect(withPreviews((s) => (s.apps[0].previews.githubAppSecretName = 'elsewhere/github-app'))).toEqual([
      "apps[0].previews.githubAppSecretName: 'elsewhere/github-app' is outside the prefix 'sandbox/argocd/' under which the platform keeps Argo CD's secrets; name the secret sandbox/argocd/<name>",
    ]);
  });

  test('two apps naming two GitHub App secrets are refused: one copy serves every app', () => {
    const result = withPreviews((s) => {
      s.apps.push({ ...JSON.parse(JSON.stringify(s.apps[0])), name: 'second', namespace: 'second', host: 'second.example.com', ci: { ...s.apps[0].ci, repository: 'second-app', repositoryId: '200000002' } });
      s.apps[1].previews.githubAppSecretName = 'sandbox/argocd/other';
    });
    expect(result).toContain(
      "apps[1].previews.githubAppSecretName: 'sandbox/argocd/other' differs from apps[0].previews.githubAppSecretName ('sandbox/argocd/previews'): " +
        "every app's previews share one copy of the GitHub App in Argo CD's namespace; name the same secret",
    );
  });

  test("an app with a secret needs secrets.backend 'secrets-manager'", () => {
    const result = withPreviews((s) => {
      s.secrets = { backend: 'vault', vault: { address: 'https://vault.example.com', role: 'sandbox' } };
    });
    expect(result).toContain(
      "apps[0].previews.enabled: needs secrets.backend 'secrets-manager' for the app's secret ('vault' is set): a preview reads its secret through a ClusterSecretStore of " +
        'Secrets Manager that admits only the preview namespaces; use secrets-manager, or turn previews off',
    );
  });

  test('a host too long for pr-<number>. is refused, naming the longest host allowed', () => {
    const label = 'a'.repeat(60);
    const host = `${label}.${label}.${label}.${'b'.repeat(55)}.example.com`;
    expect(host.length).toBe(250);
    const result = withPreviews((s) => (s.apps[0].host = host));
    expect(result).toContain(
      `apps[0].host: ${show(host)} makes preview hosts up to ${host.length + 3 + PREVIEW_NUMBER_DIGITS + 1} characters ('pr-9999999.' and the host), longer than a DNS name's 253; ` +
        `with previews, the host may have at most ${253 - 3 - PREVIEW_NUMBER_DIGITS - 1} characters`,
    );
  });

  test.each(['main-previews', 'main-pr-7'])("another app in the previews' namespace %s is refused", (namespace) => {
    const result = withPreviews((s) => {
      s.apps.push({ ...JSON.parse(JSON.stringify(s.apps[0])), name: 'second', namespace, host: 'second.example.com', previews: undefined });
      s.apps[1].ci = { ...s.apps[0].ci, repository: 'second-app', repositoryId: '200000002' };
    });
    expect(result).toContain(
      `apps[1].namespace: '${namespace}' is a namespace of the previews of 'main' (main-previews, main-pr-<number>), ` +
        'which would deploy into it and delete it with a preview; give the app another namespace',
    );
  });

  test.each([
    ['sandbox/main', "'sandbox/main' would let previews read production's secret 'sandbox/main/database-secrets'"],
    ['sandbox', "'sandbox' would let previews read production's secret 'sandbox/main/database-secrets'"],
    ['sandbox/main/previews/', "'sandbox/main/previews/' has an empty part between slashes (or a leading or trailing '/'): the previews read 'sandbox/main/previews//database-secrets'"],
    ['sandbox//previews', "'sandbox//previews' has an empty part between slashes"],
    ['sandbox/argocd', "'sandbox/argocd' holds 'sandbox/argocd/', where the platform keeps Argo CD's secrets (the manifest repository's credentials, the GitHub Apps), and the previews' role reads every secret under 'sandbox/argocd/'"],
    ['sandbox/argocd/previews', "'sandbox/argocd/previews' is within 'sandbox/argocd/', where the platform keeps Argo CD's secrets"],
  ])('secretPrefix %j is refused, naming what it would read', (prefix, message) => {
    const result = withPreviews((s) => (s.apps[0].previews.secretPrefix = prefix));
    expect(result).toHaveLength(1);
    expect(result[0]).toContain(`apps[0].previews.secretPrefix: ${message}`);
    expect(result[0]).toMatch(/, such as 'sandbox\/main\/previews'$/);
  });

  test("a secretPrefix in another app's prefix is refused; one of the app's own, or outside the platform's, is not", () => {
    const withOther = (prefix: string) =>
      withPreviews((s) => {
        s.apps.push({ ...JSON.parse(JSON.stringify(s.apps[0])), name: 'second', namespace: 'second', host: 'second.example.com', previews: undefined });
        s.apps[1].ci = { ...s.apps[0].ci, repository: 'second-app', repositoryId: '200000002' };
        s.apps[0].previews.secretPrefix = prefix;
      });
    expect(withOther('sandbox/second/previews')).toEqual([
      "apps[0].previews.secretPrefix: 'sandbox/second/previews' is within 'sandbox/second/', the secrets of app 'second', and the previews' role reads every secret under " +
        "'sandbox/second/previews/'; give previews a prefix of their own, such as 'sandbox/main/previews'",
    ]);
    expect(withOther('sandbox/main/previews/v2')).toEqual([]);
    expect(withOther('previews/main')).toEqual([]);
  });

  test("with several environments, a secretPrefix in another environment's prefix is refused", () => {
    const spec = twoEnvironmentsSpec();
    spec.apps[0].previews = { enabled: true, secretPrefix: 'shop/production/main/previews' };
    expect(problems(spec)).toContain(
      "apps[0].previews.secretPrefix: 'shop/production/main/previews' is within 'shop/production/', the secrets of environment 'production', and the previews' role reads " +
        "every secret under 'shop/production/main/previews/'; give previews a prefix of their own, such as 'shop/staging/main/previews' (in environment 'staging')",
    );
  });

  test('previews.migrate without a migration is refused', () => {
    expect(withPreviews((s) => {
      s.apps[0].previews.migrate = true;
      delete s.apps[0].migration;
    })).toEqual(["apps[0].previews.migrate: is true, but 'main' has no migration (apps[].migration) for a preview to run; remove previews.migrate, or give the app a migration"]);
  });

  test("the longest app name makes preview namespaces within a namespace's 63, for pull requests up to 7 digits: no rule needed", () => {
    const name = 'a'.repeat(40);
    const longer = withPreviews((s) => (s.apps[0].name = `${name}a`));
    expect(longer).toEqual([`apps[0].name: '${name}a' is 41 characters; at most 40 allowed`]);
    const spec = previewsSpec();
    spec.apps[0].name = name;
    expect(problems(spec)).toEqual([]);
    const namespace = `${resolve(spec).apps[0].previews!.namespacePrefix}${'9'.repeat(PREVIEW_NUMBER_DIGITS)}`;
    expect(namespace.length).toBe(51);
    expect(namespace).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});
