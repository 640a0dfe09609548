import { RepositoryCredentialsType } from './types';

/**
 * Fixed values the resolver and the constructs share, in a module of their own that imports nothing
 * of the library's: the charts, the stacks and the add-ons read them without depending on the
 * resolver.
 */

/** Default semver tag filter: only release tags, so a `v1.2.3-rc1` or a branch build never rolls out. */
export const DEFAULT_SEMVER_ALLOW_TAGS = '^v?[0-9]+\\.[0-9]+\\.[0-9]+$';

/** Deployment files of an application repository: changing only these needs no image build. */
export const DEFAULT_DEPLOY_PATHS = ['deploy/**', 'k8s/**', '.github/**', '**/*.md'];

/** The API server of the cluster a self-managed Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Namespace External Secrets Operator runs in. */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';

/** The keys a manifest-repository credentials secret holds, by kind (the names Argo CD's repository Secrets use). */
export const REPOSITORY_CREDENTIAL_KEYS: { readonly [type in RepositoryCredentialsType]: string[] } = {
  [RepositoryCredentialsType.GITHUB_APP]: ['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey'],
  [RepositoryCredentialsType.TOKEN]: ['username', 'password'],
  [RepositoryCredentialsType.SSH]: ['sshPrivateKey'],
};

/**
 * Where the manifest repository keeps the child Applications of the app-of-apps: `argocd/apps/`, or
 * `argocd/apps/<environment>/` with several environments.
 */
export const ARGOCD_APPS_DIR = 'argocd/apps';

/**
 * The annotation that carries a release's commit (the application repository's `$GITHUB_SHA`) in an
 * Application's `spec.source.kustomize.commonAnnotations`, where deploy feedback reads it back from
 * the sync (`status.operationState.syncResult.source`). The delivery that moves the tag writes it.
 */
export const RELEASE_REVISION_ANNOTATION = 'cdk-eks-gitops.io/release-revision';

/**
 * The annotation on each application's Application, with deploy feedback on, that names the
 * application repository Notifications reports to. On a child Application file of the manifest
 * repository (only a `pull-request` app's: an `argocd-cli` app's Application is its workflow's) it
 * also says that the file carries the app's releases (lib/output/owned-state.ts).
 */
export const RELEASE_REPOSITORY_ANNOTATION = 'cdk-eks-gitops.io/release-repository';

/** The annotation the EKS pod identity webhook reads to give a pod its IRSA role. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * The promotion workflow's `app` input that promotes every application at once: no application may
 * take the name (validate/outputs.ts), or it could not be promoted alone.
 */
export const PROMOTE_ALL = 'all';

/** Sync waves of the child Applications: lower waves sync first. */
export const SYNC_WAVES = {
  /** Operators whose CRDs and webhooks later waves use. */
  operators: -1,
  /** An application's secrets, before the application's PreSync migration needs them. */
  appSecrets: 0,
  /** The applications. */
  apps: 1,
} as const;
