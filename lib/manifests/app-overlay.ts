import { MIGRATION_CONTAINER } from '../k8s/migration/migration-job-chart';
import type { ResolvedApp, ResolvedPlatform } from '../model/resolved';

/**
 * What splits an application between its base (`<app>/base/`, shared by every environment) and its
 * overlay (`<app>/overlays/<env>/`, the environment's own), and the overlay's kustomization.
 *
 * Two ways to put an environment's values into an overlay, each used where it reads best:
 *
 * - **Whole objects**, for objects that are bindings to the environment through and through: the
 *   ServiceAccounts bound to the environment's roles, the Ingress (host, certificate, ALB group),
 *   ExternalDNS (zone, domain, owner id, region, role), the secret resources (region, role, remote
 *   keys). A patch of them would repeat nearly the whole object, and the base would keep an object
 *   with holes that no schema accepts (a SecretStore without a region, an ExternalSecret without its
 *   remote keys).
 * - **A patch**, for the Deployment: it is the application itself, the same in every environment but
 *   for the fields `environments[].apps[]` overrides (replicas, each container's resources). The
 *   overlay always sets those fields, even where an environment overrides nothing, so each
 *   environment's values are all in one file and an override added later changes no file's place.
 */

/** File of the overlay's Deployment patch. */
export const DEPLOYMENT_PATCH_FILE = 'deployment-patch.yaml';

/** The base Deployment and the environment's patch of it. */
export interface DeploymentSplit {
  /** The Deployment without the fields environments override. */
  readonly base: Record<string, any>;
  /** A strategic-merge patch setting those fields (containers are merged by name). */
  readonly patch: Record<string, any>;
}

/**
 * Splits an application's Deployment into its base and the environment's patch: `replicas` and each
 * container's `resources` move to the patch. Applied to the base, the patch gives back the
 * Deployment exactly.
 */
export function splitDeployment(deployment: Record<string, any>): DeploymentSplit {
  const base = JSON.parse(JSON.stringify(deployment));
  delete base.spec.replicas;
  for (const container of base.spec.template.spec.containers) delete container.resources;
  const patch = {
    apiVersion: deployment.apiVersion,
    kind: deployment.kind,
    // Kustomize matches a patch to its target by kind, name and namespace.
    metadata: { name: deployment.metadata.name, namespace: deployment.metadata.namespace },
    spec: {
      replicas: deployment.spec.replicas,
      template: { spec: { containers: deployment.spec.template.spec.containers.map((c: any) => ({ name: c.name, resources: c.resources })) } },
    },
  };
  return { base, patch };
}

/**
 * The environment overlay: the base, the environment's own objects (`resources`), the Deployment
 * patch, the environment label, the image tags (the field the Image Updater and the pull-request
 * workflow move) and the replacement that copies the first container's tag onto the migration Job, so
 * the migration always runs the version about to roll out, in each environment on its own tag.
 *
 * @param files the overlay's own files of objects, listed after the base
 */
export function overlayKustomization(platform: ResolvedPlatform, app: ResolvedApp, files: string[]): Record<string, unknown> {
  const primary = app.releaseContainer;
  const images = [
    ...app.containers.map((c) => ({ name: c.image.imageUri, newTag: c.tag })),
    ...(app.migration ? [{ name: app.migration.image.imageUri, newTag: primary.tag }] : []),
  ];
  const tagOf = { delimiter: ':', index: 1 };
  return {
    resources: ['../../base', ...files],
    patches: [{ path: DEPLOYMENT_PATCH_FILE }],
    labels: [{ pairs: { env: platform.environment }, includeSelectors: false, includeTemplates: true }],
    images,
    replacements: app.migration
      ? [
        {
          source: {
            kind: 'Deployment',
            name: app.name,
            fieldPath: `spec.template.spec.containers.[name=${primary.name}].image`,
            options: tagOf,
          },
          targets: [
            {
              select: { kind: 'Job', name: app.migration.jobName },
              fieldPaths: [`spec.template.spec.containers.[name=${MIGRATION_CONTAINER}].image`],
              options: tagOf,
            },
          ],
        },
      ]
      : undefined,
  };
}
