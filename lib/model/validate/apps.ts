// Validation, the apps section: each application's names against the others' (names, namespaces,
// hosts, ECR repositories, ALB groups, GitHub repositories), and its own fields: its stack, its
// containers and the one the Ingress routes to, its certificate, its image updates and its migration.
// (Its secret is checked in secrets.ts, its CI in ci.ts.)
import { show } from '../shape';
import { DeliveryMode, SubjectFormat, UpdateStrategy } from '../types';
import type { AddProblem, EnvironmentInput, LocatedApp } from './input';

/** What each application may not share with another one, and the names the platform keeps for itself. */
export function checkAcrossApps({ spec, platform, apps, standIns }: EnvironmentInput, add: AddProblem): void {
  const first = <K>(seen: Map<K, LocatedApp>, key: K, located: LocatedApp, onDuplicate: (firstOne: LocatedApp) => void) => {
    const earlier = seen.get(key);
    if (earlier) onDuplicate(earlier);
    else seen.set(key, located);
  };
  const names = new Map<string, LocatedApp>();
  const namespaces = new Map<string, LocatedApp>();
  const hosts = new Map<string, LocatedApp>();
  const outputPrefixes = new Map<string, LocatedApp>();
  const repositories = new Map<string, string>();
  const groups = new Map<string, { internetFacing: boolean; path: string }>();
  const githubNames = new Map<string, { name: string; path: string }>();
  githubNames.set(spec.github.manifestRepository.name.toLowerCase(), { name: spec.github.manifestRepository.name, path: 'github.manifestRepository.name' });

  for (const located of apps) {
    const { app, path } = located;
    let duplicateName = false;
    first(names, app.name, located, (earlier) => {
      duplicateName = true;
      add(`${path}.name`, `${show(app.name)} is already the name of ${earlier.path}; names must be unique`);
    });
    first(namespaces, app.namespace, located, (earlier) =>
      add(`${path}.namespace`, `${show(app.namespace)} is already the namespace of ${earlier.path}; each application needs its own namespace`),
    );
    first(hosts, app.host, located, (earlier) =>
      add(`${path}.host`, `${show(app.host)} is already the host of ${earlier.path}; two applications' ExternalDNS instances would fight over its record`),
    );
    if (!duplicateName) {
      first(outputPrefixes, app.outputPrefix, located, (earlier) =>
        add(
          `${path}.name`,
          `${show(app.name)} and ${show(earlier.app.name)} (${earlier.path}) give the same CloudFormation output names (${app.outputPrefix}CiRoleArn, ...), which allow only letters and digits; rename one of them`,
        ),
      );
    }
    if (!standIns.has('dns.domain') && app.host !== platform.dns.domain && !app.host.endsWith(`.${platform.dns.domain}`)) {
      add(`${path}.host`, `${show(app.host)} is not under dns.domain ${show(platform.dns.domain)}; ExternalDNS would not publish it`);
    }

    const group = groups.get(app.ingress.groupName);
    if (group && group.internetFacing !== app.ingress.internetFacing) {
      add(
        `${path}.ingress.groupName`,
        `${show(app.ingress.groupName)} is the ALB group of ${group.path}, which is ${group.internetFacing ? 'internet-facing' : 'internal'}; the load balancer controller reconciles no Ingress of a group whose members disagree on the scheme, so give this app another group`,
      );
    } else if (!group) {
      groups.set(app.ingress.groupName, { internetFacing: app.ingress.internetFacing, path });
    }

    const ciName = located.spec.ci.repository;
    const known = githubNames.get(ciName.toLowerCase());
    if (known && known.name !== ciName) {
      add(
        `${path}.ci.repository`,
        `${show(ciName)} names the same GitHub repository as ${known.path} (${show(known.name)}): GitHub names ignore case, but the OIDC subject and the workflow paths do not; spell it the same way`,
      );
    } else if (!known) {
      githubNames.set(ciName.toLowerCase(), { name: ciName, path: `${path}.ci.repository` });
    }

    // A duplicated app name already explains why its derived repository names repeat.
    if (duplicateName) continue;
    // A duplicated container name, too, explains why its default repository name repeats.
    const firstOfName = app.containers.filter((c, i) => app.containers.findIndex((o) => o.name === c.name) === i);
    const images = [
      ...firstOfName.map((c) => ({ path: `${path}.containers[${app.containers.indexOf(c)}].repository`, name: c.image.repositoryName })),
      ...(app.migration ? [{ path: `${path}.migration.repository`, name: app.migration.image.repositoryName }] : []),
    ];
    for (const image of images) {
      const earlier = repositories.get(image.name);
      if (earlier) add(image.path, `ECR repository ${show(image.name)} is already used by ${earlier}; each image needs its own repository`);
      else repositories.set(image.name, image.path);
    }
  }

  const immutable = apps.find((located) => located.app.ci.subjectFormat === SubjectFormat.IMMUTABLE);
  if (immutable && spec.github.ownerId === undefined) {
    const repo = immutable.app.ci.repository.fullName;
    add('github.ownerId', `is required by ${immutable.path}.ci (immutable OIDC subject form); find it with 'gh api repos/${repo} --jq .owner.id'`);
  }

  // An app's secrets Application (`<application>-secrets`, `<app>-<environment>-secrets` with
  // environments) is checked against every Application by its resolved name with the derived names
  // (validate/names.ts), which names both apps; the platform's own reserved names are checked here
  // where the app's Application is named like the app. With environments it is `<app>-<environment>`:
  // the bare app name cannot collide then, and the derived names check the qualified one.
  const secretsApplications = new Set(apps.flatMap(({ app }) => (app.secret ? [app.secret.applicationName] : [])));
  const reserved = platform.reservedNames.applications.filter((name) => !secretsApplications.has(name));
  for (const { app, path } of apps) {
    if (app.application.name === app.name && reserved.includes(app.name)) {
      add(`${path}.name`, `${show(app.name)} is the name of a platform Argo CD Application; choose another name`);
    }
    if (platform.reservedNames.namespaces.includes(app.namespace)) {
      add(`${path}.namespace`, `${show(app.namespace)} is reserved for the platform; choose another namespace`);
    }
  }
}

/** `apps[].stack`: not the platform stack's name. */
export function checkAppStack({ platform }: EnvironmentInput, { spec: appSpec, path }: LocatedApp, add: AddProblem): void {
  if (appSpec.stack === 'platform') {
    add(`${path}.stack`, `'platform' would name the platform stack ${platform.qualifiedName}-platform; leave stack out to use it, or choose another name`);
  }
}

/** `apps[].containers`: names and ports unique in the pod, exact tags, one source per variable. */
export function checkContainers(_input: EnvironmentInput, { app, path }: LocatedApp, add: AddProblem): void {
  const containerNames = new Map<string, number>();
  const ports = new Map<number, number>();
  app.containers.forEach((c, i) => {
    const at = `${path}.containers[${i}]`;
    const firstName = containerNames.get(c.name);
    if (firstName !== undefined) add(`${at}.name`, `${show(c.name)} is already the name of containers[${firstName}]; names must be unique in an app`);
    else containerNames.set(c.name, i);
    if (c.port !== undefined) {
      const firstPort = ports.get(c.port);
      if (firstPort !== undefined) add(`${at}.port`, `${c.port} is already the port of containers[${firstPort}]; containers of one pod share its network, so each needs its own port`);
      else ports.set(c.port, i);
    }
    if (c.tag === 'latest') add(`${at}.tag`, "'latest' is not allowed: deployments and migrations must name an exact version such as v1.0.0");
    for (const name of Object.keys(c.secretEnv)) {
      if (name in c.env) add(`${at}.secretEnv.${name}`, `${show(name)} is also set in env; a variable can have one source, so remove it from one of them`);
    }
  });
}

/** `apps[].ingress.container`: a container of the app with a port, or some container with one. */
export function checkIngressContainer(_input: EnvironmentInput, { spec: appSpec, app, path }: LocatedApp, add: AddProblem): void {
  const ingressContainer = appSpec.ingress?.container;
  if (ingressContainer !== undefined) {
    const target = app.containers.find((c) => c.name === ingressContainer);
    if (!target) {
      add(`${path}.ingress.container`, `${show(ingressContainer)} is not a container of this app; use one of ${app.containers.map((c) => c.name).join(', ')}`);
    } else if (target.port === undefined) {
      add(`${path}.ingress.container`, `${show(target.name)} has no port; give it a port or route the Ingress to a container with one`);
    }
  } else if (!app.containers.some((c) => c.port !== undefined)) {
    add(`${path}.containers`, 'no container has a port, so the Ingress has nowhere to send traffic; set containers[].port');
  }
}

/** `apps[].ingress.certificateArn`: in the load balancer's account and region. */
export function checkCertificate({ spec, platform }: EnvironmentInput, { app, path }: LocatedApp, add: AddProblem): void {
  const certificate = app.ingress.certificateArn;
  if (certificate !== undefined) {
    const [, , , region, account] = certificate.split(':');
    // Without aws.account in the spec, the account is known only at synth time.
    if (region !== platform.region || (spec.aws.account !== undefined && account !== platform.account)) {
      add(
        `${path}.ingress.certificateArn`,
        `${show(certificate)} is in ${account}/${region}, but the load balancer is in ${platform.account}/${platform.region}; an ALB can only use an ACM certificate of its own account and region`,
      );
    }
  }
}

/** `apps[].imageUpdate`: for the Image Updater's delivery only, a strategy a migration can follow, a valid tag filter. */
export function checkImageUpdate(_input: EnvironmentInput, { spec: appSpec, app, path }: LocatedApp, add: AddProblem): void {
  if (appSpec.imageUpdate && app.delivery !== DeliveryMode.IMAGE_UPDATER) {
    add(`${path}.imageUpdate`, `applies only to delivery 'image-updater', but delivery is ${show(app.delivery)}; remove it or change the delivery`);
  }
  if (app.migration && app.imageUpdate.strategy === UpdateStrategy.DIGEST && app.delivery === DeliveryMode.IMAGE_UPDATER) {
    add(
      `${path}.imageUpdate.strategy`,
      "'digest' moves images by digest, so there is no tag for the migration to follow; use semver, newest-build or alphabetical with a migration",
    );
  }
  if (appSpec.imageUpdate?.allowTags !== undefined) {
    try {
      new RegExp(appSpec.imageUpdate.allowTags);
    } catch (e) {
      add(`${path}.imageUpdate.allowTags`, `${show(appSpec.imageUpdate.allowTags)} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
}

/** `apps[].migration.permissions`: named actions, resources of the platform's account. */
export function checkMigration({ spec, platform }: EnvironmentInput, { app, path }: LocatedApp, add: AddProblem): void {
  app.migration?.role?.permissions.forEach((permission, i) => {
    permission.actions.forEach((action, j) => {
      if (action.includes('*')) {
        add(`${path}.migration.permissions[${i}].actions[${j}]`, `${show(action)} has a wildcard; name each action the migration needs, such as rds-db:connect`);
      }
    });
    permission.resources.forEach((resource, j) => {
      const account = resource.split(':')[4];
      if (account && account !== platform.account && spec.aws.account !== undefined) {
        add(`${path}.migration.permissions[${i}].resources[${j}]`, `${show(resource)} is in account ${account}, not in aws.account ${platform.account}`);
      }
    });
  });
}
