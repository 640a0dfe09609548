import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ImageUpdater } from './image-updater';
import { IMAGE_UPDATER_SERVICE_ACCOUNT } from '../../model/naming';
import type { ResolvedPlatform } from '../../model/resolved';
import { DeliveryMode } from '../../model/types';

/** Names in the upstream install manifest that the overlay patches. */
export const IMAGE_UPDATER_INSTALL = {
  deployment: 'argocd-image-updater-controller',
  container: 'argocd-image-updater-controller',
  configMap: 'argocd-image-updater-config',
  serviceAccount: IMAGE_UPDATER_SERVICE_ACCOUNT,
} as const;

/** Where the ECR credentials script is mounted in the Image Updater container. */
export const ECR_LOGIN_SCRIPT_PATH = '/app/scripts/ecr-login.sh';

/** ECR tokens last 12 hours; the Image Updater renews them well before. */
export const ECR_CREDENTIALS_EXPIRE = '10h';

/** Properties of an `ImageUpdaterOverlayChart`. */
export interface ImageUpdaterOverlayChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
}

/**
 * The platform's changes to the upstream Image Updater install: its ServiceAccount bound to the IRSA
 * role that may read the applications' ECR repositories, `registries.conf` for the account's ECR
 * registry with credentials from a script, the script (a ConfigMap mounted executable), and one
 * `ImageUpdater` resource per application delivered by the Image Updater. The resource of an
 * application that signs (`supplyChain.keySigned`) verifies the platform signing key's signature
 * before it moves a tag: the public key is the Secret the stack writes (`ImageSigningPublicKey`).
 *
 * The ServiceAccount, ConfigMap and Deployment objects are strategic-merge patches of the upstream
 * objects of the same names: see `patchFiles` for the files they belong in.
 */
export class ImageUpdaterOverlayChart extends Chart {
  /** The patch objects, by file name (for the kustomization's `patches`). */
  public readonly patchFiles: { [file: string]: ApiObject };

  /** The new objects, by file name (for the kustomization's `resources`). */
  public readonly resourceFiles: { [file: string]: ApiObject[] };

  constructor(scope: Construct, id: string, props: ImageUpdaterOverlayChartProps) {
    super(scope, id, props);
    const { platform } = props;
    const namespace = platform.argocd.namespace;

    const serviceAccountPatch = new ApiObject(this, 'ServiceAccountPatch', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: IMAGE_UPDATER_INSTALL.serviceAccount, annotations: platform.imageUpdater.serviceAccountAnnotations },
    });

    const configPatch = new ApiObject(this, 'ConfigPatch', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: IMAGE_UPDATER_INSTALL.configMap },
      data: { 'registries.conf': registriesConf(platform) },
    });

    const scriptConfigMap = new k8s.KubeConfigMap(this, 'EcrLoginScript', {
      metadata: { name: 'argocd-image-updater-ecr-login', namespace },
      data: { 'ecr-login.sh': ecrLoginScript(platform) },
    });

    const deploymentPatch = new ApiObject(this, 'DeploymentPatch', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: IMAGE_UPDATER_INSTALL.deployment },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: IMAGE_UPDATER_INSTALL.container,
                volumeMounts: [{ name: 'ecr-login', mountPath: '/app/scripts', readOnly: true }],
              },
            ],
            // 0o755: the Image Updater executes the script.
            volumes: [{ name: 'ecr-login', configMap: { name: scriptConfigMap.name, defaultMode: 0o755 } }],
          },
        },
      },
    });

    const signingKey = platform.images.signingKey;
    const updaters = platform.apps
      .filter((app) => app.delivery === DeliveryMode.IMAGE_UPDATER)
      .map(
        (app) =>
          new ImageUpdater(this, `ImageUpdater-${app.name}`, {
            name: app.name,
            namespace,
            // The Application's name: `<app>-<env>` in a platform of several environments.
            applicationNamePattern: app.application.name,
            images: app.containers.map((c) => ({ alias: c.name, imageName: c.image.imageUri })),
            strategy: app.imageUpdate.strategy,
            allowTags: app.imageUpdate.allowTags,
            writeBack: app.imageUpdate.writeBack,
            gitBranch: platform.manifestRepository.branch,
            // A signing app's images are signed with the platform's KMS key too: never moved to unless that verifies.
            verification: app.supplyChain.keySigned && signingKey ? { secretName: signingKey.secretName, key: signingKey.secretKey } : undefined,
          }).apiObject,
      );

    this.patchFiles = {
      'service-account.yaml': serviceAccountPatch,
      'config-map.yaml': configPatch,
      'deployment.yaml': deploymentPatch,
    };
    this.resourceFiles = {
      'ecr-login.yaml': [scriptConfigMap],
      ...(updaters.length ? { 'image-updaters.yaml': updaters } : {}),
    };
  }
}

/** The Image Updater's registry configuration: the account's ECR registry, credentials by script. */
export function registriesConf(platform: ResolvedPlatform): string {
  return [
    'registries:',
    '  - name: ECR',
    `    api_url: https://${platform.registry}`,
    `    prefix: ${platform.registry}`,
    '    ping: true',
    '    insecure: false',
    `    credentials: ext:${ECR_LOGIN_SCRIPT_PATH}`,
    `    credsexpire: ${ECR_CREDENTIALS_EXPIRE}`,
    '',
  ].join('\n');
}

/**
 * Prints `AWS:<password>` for the registry, from the IRSA role's credentials. The root filesystem is
 * read-only, so the CLI's home (its cache) is the writable /tmp.
 */
export function ecrLoginScript(platform: ResolvedPlatform): string {
  return [
    '#!/bin/sh',
    'set -eu',
    'export HOME=/tmp',
    `aws ecr get-authorization-token --region ${platform.images.region} --output text --query 'authorizationData[].authorizationToken' | base64 -d`,
    '',
  ].join('\n');
}
