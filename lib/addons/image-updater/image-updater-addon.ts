import { ImageUpdaterOverlayChart } from './image-updater-overlay-chart';
import { SYNC_WAVES } from '../../model/constants';
import type { PlatformAddon } from '../../model/resolved';
import { DeliveryMode } from '../../model/types';
import { UPSTREAM_URLS } from '../../versions';

/** Directory of the Image Updater overlay in the manifest repository. */
export function imageUpdaterOverlayPath(environment: string): string {
  return `argocd_image_updater/overlays/${environment}`;
}

/** Why a role's ECR login statement is on `*`. */
const ECR_LOGIN_REASON = 'ecr:GetAuthorizationToken has no resource-level permission; every repository action of this role names its repositories.';

/**
 * Argo CD Image Updater: it watches the ECR repositories of the applications delivered by it and
 * moves their tags. Installed by Argo CD from the pinned upstream install, patched in an overlay.
 */
export const IMAGE_UPDATER_ADDON: PlatformAddon = {
  name: 'argocd-image-updater',
  specKey: 'imageUpdater',
  description: 'Argo CD Image Updater, when an application is delivered by it',

  enabled: ({ platform }) => platform.usesImageUpdater,

  resolve({ platform, role }) {
    const tracked = platform.apps
      .filter((a) => a.delivery === DeliveryMode.IMAGE_UPDATER)
      .flatMap((a) => a.containers.map((c) => c.image.repositoryArn));
    return {
      roles: [
        role({
          purpose: 'image-updater',
          namespace: platform.imageUpdater.namespace,
          serviceAccountName: platform.imageUpdater.serviceAccountName,
          permissions: [
            { sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
            // newest-build reads each image's config blob for its creation date: a layer download.
            { sid: 'ReadAppImageTags', actions: ['ecr:ListImages', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resources: tracked },
          ],
          acceptedWildcards: [{ resource: '*', reason: ECR_LOGIN_REASON }],
        }),
      ],
      applications: [
        {
          name: 'argocd-image-updater',
          namespace: platform.argocd.namespace,
          wave: SYNC_WAVES.operators,
          path: imageUpdaterOverlayPath(platform.environment),
          syncOptions: ['ServerSideApply=true'],
        },
      ],
      // Its install: the ImageUpdater CRD and the metrics ClusterRoles.
      clusterResources: [
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
      reservedApplicationNames: ['argocd-image-updater'],
    };
  },

  manifests({ platform, app, addFile, addKustomization }) {
    const dir = imageUpdaterOverlayPath(platform.environment);
    const chart = new ImageUpdaterOverlayChart(app, 'image-updater', { platform });
    for (const [file, patch] of Object.entries(chart.patchFiles)) addFile(`${dir}/${file}`, [patch.toJson()]);
    for (const [file, objects] of Object.entries(chart.resourceFiles)) addFile(`${dir}/${file}`, objects.map((o) => o.toJson()));
    addKustomization(dir, {
      namespace: platform.argocd.namespace,
      resources: [UPSTREAM_URLS.imageUpdaterInstall, ...Object.keys(chart.resourceFiles)],
      patches: Object.keys(chart.patchFiles).map((path) => ({ path })),
    });
  },
};
