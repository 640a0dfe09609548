import { PLATFORM_SHAPE } from './platform-shape';
import { checkShape, show, SpecProblem } from './shape';
import { AppSpec, DeliveryMode, PlatformSpec, SecretBackend, UpdateStrategy } from './types';

/** Namespaces an application may not take: the cluster's own and Argo CD's. */
const RESERVED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'external-secrets'];

/**
 * Every problem in a parsed spec document, at once: first the fields on their own (types, required,
 * unknown, patterns), then the rules that relate fields to each other. An empty list means the
 * document is a valid `PlatformSpec`.
 */
export function validateSpec(document: unknown): SpecProblem[] {
  const problems: SpecProblem[] = [];
  checkShape(document, PLATFORM_SHAPE, '', problems);
  // The cross-field rules read nested fields; they run only on a document whose shape is sound, so a
  // wrong type reports once instead of cascading.
  if (problems.length === 0) checkRelations(document as PlatformSpec, problems);
  return problems;
}

function checkRelations(spec: PlatformSpec, problems: SpecProblem[]): void {
  const add = (path: string, message: string) => problems.push({ path, message });
  const argocdNamespace = spec.argocd?.namespace ?? 'argocd';
  const backend = spec.secrets?.backend ?? SecretBackend.SECRETS_MANAGER;

  const nodes = spec.cluster?.nodes;
  if (nodes) {
    const min = nodes.minSize ?? 2;
    const max = nodes.maxSize ?? Math.max(4, min);
    const desired = nodes.desiredSize ?? min;
    if (min > max) add('cluster.nodes.minSize', `${min} is larger than maxSize ${max}`);
    else if (desired < min || desired > max) add('cluster.nodes.desiredSize', `${desired} is outside minSize..maxSize (${min}..${max})`);
  }

  const policy = spec.argocd?.syncPolicy;
  if (policy?.automated === false) {
    if (policy.prune) add('argocd.syncPolicy.prune', 'true needs automated: true (pruning happens only in automated sync)');
    if (policy.selfHeal) add('argocd.syncPolicy.selfHeal', 'true needs automated: true (self-heal happens only in automated sync)');
  }

  if ((backend === SecretBackend.VAULT || backend === SecretBackend.VAULT_PLUGIN) && !spec.secrets?.vault) {
    add('secrets.vault', `is required when secrets.backend is '${backend}': give at least the Vault address`);
  }
  if (backend === SecretBackend.VAULT_PLUGIN && spec.argocd?.managed) {
    add(
      'secrets.backend',
      "'vault-plugin' cannot work with argocd.managed: true (the EKS managed Argo CD runs no config management plugins); use 'vault' (External Secrets' Vault provider) instead",
    );
  }
  if (spec.argocd?.managed && !spec.argocd.identityCenter) {
    add('argocd.identityCenter', 'is required when argocd.managed is true: the managed Argo CD signs users in through IAM Identity Center');
  }
  if (spec.argocd?.identityCenter && !spec.argocd.managed) {
    add('argocd.identityCenter', 'applies only to the managed Argo CD; set argocd.managed: true or remove it');
  }
  if (spec.secrets?.vault && backend === SecretBackend.SECRETS_MANAGER) {
    add('secrets.vault', "is set but secrets.backend is 'secrets-manager'; set the backend to 'vault' or 'vault-plugin', or remove it");
  }

  const appNames = new Map<string, number>();
  const namespaces = new Map<string, number>();
  const repositories = new Map<string, string>();
  spec.apps.forEach((app, index) => {
    const path = `apps[${index}]`;
    const namespace = app.namespace ?? app.name;
    const duplicateName = appNames.has(app.name);
    firstWins(appNames, app.name, index, (first) => add(`${path}.name`, `${show(app.name)} is already the name of apps[${first}]; names must be unique`));
    firstWins(namespaces, namespace, index, (first) =>
      add(`${path}.namespace`, `${show(namespace)} is already the namespace of apps[${first}]; each application needs its own namespace`),
    );
    const reservedName = ['external-secrets', 'argocd-image-updater', `${spec.name}-root`].includes(app.name);
    const secretsAppOf = spec.apps.find((other) => other.secret && `${other.name}-secrets` === app.name);
    if (reservedName || secretsAppOf) {
      add(`${path}.name`, `${show(app.name)} is the name of a platform Argo CD Application${secretsAppOf ? ` (the secrets of app ${show(secretsAppOf.name)})` : ''}; choose another name`);
    }
    if (namespace === argocdNamespace || RESERVED_NAMESPACES.includes(namespace)) {
      add(`${path}.namespace`, `${show(namespace)} is reserved for the platform; choose another namespace`);
    }
    if (app.host !== spec.dns.domain && !app.host.endsWith(`.${spec.dns.domain}`)) {
      add(`${path}.host`, `${show(app.host)} is not under dns.domain ${show(spec.dns.domain)}; ExternalDNS would not publish it`);
    }
    checkApp(spec, app, path, add);
    // A duplicated app or container name already explains why its derived repository names repeat.
    if (duplicateName) return;
    const uniqueContainers = app.containers.filter((c, i) => app.containers.findIndex((o) => o.name === c.name) === i);
    const images = [
      ...uniqueContainers.map((c) => ({
        path: `${path}.containers[${app.containers.indexOf(c)}].repository`,
        name: c.repository ?? `${spec.name}/${app.name}/${c.name}`,
      })),
      ...(app.migration ? [{ path: `${path}.migration.repository`, name: app.migration.repository ?? `${spec.name}/${app.name}/migration` }] : []),
    ];
    for (const image of images) {
      const first = repositories.get(image.name);
      if (first) add(image.path, `ECR repository ${show(image.name)} is already used by ${first}; each image needs its own repository`);
      else repositories.set(image.name, image.path);
    }
  });
}

function checkApp(spec: PlatformSpec, app: AppSpec, path: string, add: (path: string, message: string) => void): void {
  const containerNames = new Map<string, number>();
  app.containers.forEach((c, i) => {
    firstWins(containerNames, c.name, i, (first) =>
      add(`${path}.containers[${i}].name`, `${show(c.name)} is already the name of containers[${first}]; names must be unique in an app`),
    );
    if (c.tag === 'latest') {
      add(`${path}.containers[${i}].tag`, "'latest' is not allowed: deployments and migrations must name an exact version such as v1.0.0");
    }
  });

  const withPort = app.containers.filter((c) => c.port !== undefined);
  if (app.ingress?.container !== undefined) {
    const target = app.containers.find((c) => c.name === app.ingress?.container);
    if (!target) {
      add(`${path}.ingress.container`, `${show(app.ingress.container)} is not a container of this app; use one of ${app.containers.map((c) => c.name).join(', ')}`);
    } else if (target.port === undefined) {
      add(`${path}.ingress.container`, `${show(target.name)} has no port; give it a port or route the Ingress to a container with one`);
    }
  } else if (withPort.length === 0) {
    add(`${path}.containers`, 'no container has a port, so the Ingress has nowhere to send traffic; set containers[].port');
  }

  const keys = app.secret?.keys ?? [];
  const checkSecretEnv = (envPath: string, secretEnv: { [name: string]: string } | undefined) => {
    for (const [name, key] of Object.entries(secretEnv ?? {})) {
      if (!app.secret) {
        add(`${envPath}.${name}`, `reads secret key ${show(key)} but the app has no secret; add ${path}.secret with that key`);
      } else if (!keys.includes(key)) {
        add(`${envPath}.${name}`, `reads secret key ${show(key)}, which is not in ${path}.secret.keys (${keys.join(', ')})`);
      }
    }
  };
  app.containers.forEach((c, i) => checkSecretEnv(`${path}.containers[${i}].secretEnv`, c.secretEnv));
  if (app.migration) checkSecretEnv(`${path}.migration.secretEnv`, app.migration.secretEnv);

  if (app.secret) {
    const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
    if (duplicate) add(`${path}.secret.keys`, `${show(duplicate)} is listed twice`);
    const backend = spec.secrets?.backend ?? SecretBackend.SECRETS_MANAGER;
    const prefix = `${spec.name}/${app.name}/`;
    if (backend === SecretBackend.SECRETS_MANAGER && app.secret.remoteKey !== undefined && !app.secret.remoteKey.startsWith(prefix)) {
      add(
        `${path}.secret.remoteKey`,
        `${show(app.secret.remoteKey)} is outside the prefix ${show(prefix)} that the app's External Secrets role may read; name the secret ${prefix}<name>`,
      );
    }
  }

  const ci = app.ci;
  const tagPatterns = ci.tagPatterns ?? ['v*'];
  tagPatterns.forEach((p, i) => {
    if (/^[*/]*$/.test(p)) {
      add(`${path}.ci.tagPatterns[${i}]`, `${show(p)} matches every tag, so any tag pushed to the repository could assume the role; use a prefix such as 'v*'`);
    }
  });
  if (!tagPatterns.length && !(ci.branches ?? []).length && !(ci.environments ?? []).length && !ci.pullRequests) {
    add(`${path}.ci`, 'no tag pattern, branch, environment or pull request may assume the CI role; give at least one');
  }
  if (ci.repositoryId !== undefined && spec.github.ownerId === undefined) {
    add(`${path}.ci.repositoryId`, 'the immutable subject form needs the owner id too; set github.ownerId');
  }

  if (app.imageUpdate && (app.delivery ?? DeliveryMode.IMAGE_UPDATER) !== DeliveryMode.IMAGE_UPDATER) {
    add(`${path}.imageUpdate`, `applies only to delivery 'image-updater', but delivery is ${show(app.delivery)}; remove it or change the delivery`);
  }
  if (app.migration && app.imageUpdate?.strategy === UpdateStrategy.DIGEST) {
    add(
      `${path}.imageUpdate.strategy`,
      "'digest' moves images by digest, so there is no tag for the migration to follow; use semver, newest-build or alphabetical with a migration",
    );
  }
  if (app.imageUpdate?.allowTags !== undefined) {
    try {
      new RegExp(app.imageUpdate.allowTags);
    } catch (e) {
      add(`${path}.imageUpdate.allowTags`, `${show(app.imageUpdate.allowTags)} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
}

function firstWins(seen: Map<string, number>, key: string, index: number, onDuplicate: (first: number) => void): void {
  const first = seen.get(key);
  if (first !== undefined) onDuplicate(first);
  else seen.set(key, index);
}
