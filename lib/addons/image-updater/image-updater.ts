import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD } from '../../k8s/argocd/annotations';
import { UpdateStrategy, WriteBackMethod } from '../../model/types';

/** An image the Image Updater tracks for an Application. */
export interface ImageUpdaterImage {
  /** Alias, unique within the Application (e.g. the container name). */
  readonly alias: string;

  /** Image name without tag, including the registry. */
  readonly imageName: string;
}

/** Properties of an `ImageUpdater`. */
export interface ImageUpdaterProps {
  /** Resource name. */
  readonly name: string;

  /**
   * Namespace of the Applications it updates (Image Updater 1.x looks for Applications in the
   * resource's own namespace).
   * @default 'argocd'
   */
  readonly namespace?: string;

  /** Glob pattern of the Application names it updates. */
  readonly applicationNamePattern: string;

  /** Images to track. */
  readonly images: ImageUpdaterImage[];

  /**
   * How the newest tag is chosen.
   * @default UpdateStrategy.SEMVER
   */
  readonly strategy?: UpdateStrategy;

  /**
   * Regular expression a tag must match.
   * @default - any tag
   */
  readonly allowTags?: string;

  /**
   * Where new tags are recorded.
   * @default WriteBackMethod.ARGOCD
   */
  readonly writeBack?: WriteBackMethod;

  /**
   * Branch to commit to (git write-back).
   * @default - the Application's target revision
   */
  readonly gitBranch?: string;

  /**
   * The Secret holding the PEM public key every image's signature must verify with before the
   * Image Updater moves a tag (its `imagesVerification`, cosign key-based).
   * @default - no verification
   */
  readonly verification?: ImageUpdaterVerificationKey;
}

/**
 * Where the Image Updater finds the public key it verifies signatures with: a Secret in the
 * ImageUpdater resource's own namespace (the v1.3.0 CRD's `cosignKey`: "a Kubernetes Secret in the
 * same namespace as the ImageUpdater CR that holds the PEM-encoded ECDSA public key").
 */
export interface ImageUpdaterVerificationKey {
  /** The Secret's name. */
  readonly secretName: string;
  /** The key of its data that holds the PEM. */
  readonly key: string;
}

/** The Image Updater 1.x configuration resource. */
export const IMAGE_UPDATER_API_VERSION = 'argocd-image-updater.argoproj.io/v1alpha1';

/**
 * An Argo CD Image Updater `ImageUpdater` resource: which Applications and images to watch, how to
 * choose a new tag, and where to record it. Tags are written as Kustomize image overrides, so the
 * overlay's tag replacement keeps the migration image in step.
 */
export class ImageUpdater extends Construct {
  /** The ImageUpdater object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ImageUpdaterProps) {
    super(scope, id);
    if (props.images.length === 0) throw new Error(`ImageUpdater ${props.name}: images needs at least one image`);
    const aliases = props.images.map((i) => i.alias);
    const duplicate = aliases.find((a, i) => aliases.indexOf(a) !== i);
    if (duplicate) throw new Error(`ImageUpdater ${props.name}: image alias '${duplicate}' is used twice; aliases must be unique`);
    for (const image of props.images) {
      if (/[:@]/.test(image.imageName.split('/').pop() ?? '')) {
        throw new Error(`ImageUpdater ${props.name}: imageName '${image.imageName}' has a tag or digest; give the name only`);
      }
    }
    const method = props.writeBack ?? WriteBackMethod.ARGOCD;

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: IMAGE_UPDATER_API_VERSION,
      kind: 'ImageUpdater',
      metadata: {
        name: props.name,
        namespace: props.namespace ?? 'argocd',
        // The CRD arrives in the same sync; without this the dry run fails on the unknown kind.
        annotations: { [ARGOCD.syncOptions]: 'SkipDryRunOnMissingResource=true' },
      },
      spec: {
        // At the spec level, the default of every image of the resource. Key-based is the only method
        // v1.3.0 has; its CEL rule requires `cosignKey` whenever `enabled` is true.
        imagesVerification: props.verification && {
          enabled: true,
          cosignKey: { secretName: props.verification.secretName, key: props.verification.key },
        },
        writeBackConfig:
          method === WriteBackMethod.GIT
            ? { method: 'git', gitConfig: { branch: props.gitBranch, writeBackTarget: 'kustomization' } }
            : { method: 'argocd' },
        applicationRefs: [
          {
            namePattern: props.applicationNamePattern,
            commonUpdateSettings: {
              updateStrategy: props.strategy ?? UpdateStrategy.SEMVER,
              allowTags: props.allowTags === undefined ? undefined : `regexp:${props.allowTags}`,
              // A mutable tag never replaces a version.
              ignoreTags: ['latest'],
            },
            images: props.images.map((image) => ({
              alias: image.alias,
              imageName: image.imageName,
              manifestTargets: { kustomize: { name: image.imageName } },
            })),
          },
        ],
      },
    });
  }
}
