// The public API, named one export at a time: the classes, interfaces and enums API.md documents.
// Helpers the constructs share (naming, policies, constants) stay internal; add an export here only
// for something meant to be used, documented and kept compatible.
//
// The folders of lib/ and the order of their layers (model, output, constructs, trees, programs, CLI,
// then this file, which may name anything): docs/development.md#layout; test/layering.test.ts holds it.

// The platform spec, and the platform resolved from it
export {
  type PlatformSpec,
  type EnvironmentSpec,
  type EnvironmentAwsSpec,
  type AppEnvironmentSpec,
  type ContainerEnvironmentSpec,
  type RegistrySpec,
  WorkloadIdentity,
  type AddonsSpec,
  type AddonSpec,
  type AwsSpec,
  type ClusterSpec,
  type ControllersSpec,
  type ControllerSpec,
  type WebhookControllerSpec,
  type ComputeSpec,
  ComputeMode,
  type NodeGroupSpec,
  type GitHubSpec,
  type ManifestRepositorySpec,
  RepositoryAccess,
  RepositoryCredentialsType,
  type RepositoryCredentialsSpec,
  type DnsSpec,
  SecretBackend,
  type SecretsSpec,
  type VaultSpec,
  type ArgoCdSpec,
  type DeployFeedbackSpec,
  type IdentityCenterSpec,
  type SyncPolicySpec,
  DeliveryMode,
  UpdateStrategy,
  WriteBackMethod,
  type AppSpec,
  type CiSpec,
  SubjectFormat,
  type ImageUpdateSpec,
  type ResourcesSpec,
  type ContainerSpec,
  type IngressSpec,
  type SupplyChainSpec,
  type PreviewsSpec,
  type MigrationSpec,
  type PermissionSpec,
  type AppSecretSpec,
  DatabaseEngine,
  DatabaseDeployment,
  type DatabaseSpec,
  type DatabaseVariablesSpec,
} from './model/types';
export {
  type ResolvedPlatform,
  type ResolvedImageRegistry,
  type ResolvedImagePuller,
  type ResolvedPromotionRole,
  type ResolvedHeldPreviews,
  type ResolvedPreviews,
  type ResolvedPreviewImage,
  type ResolvedCluster,
  type ResolvedIngressClass,
  type ResolvedController,
  type ResolvedContainerResources,
  type ResolvedGitHub,
  type ResolvedRepository,
  type ResolvedManifestRepository,
  type ResolvedCopiedSecret,
  type ResolvedRepositoryCredentials,
  type ResolvedExternalSecrets,
  type ResolvedDns,
  type ResolvedSecrets,
  type ResolvedVault,
  type ResolvedArgoCd,
  type ResolvedArgoCdHub,
  type ResolvedArgoCdSpoke,
  type ResolvedIdentityCenter,
  type ResolvedDeployFeedback,
  type ResolvedNotificationsController,
  type ResolvedRole,
  type ServiceAccountRole,
  type ResolvedWorkloadRole,
  type ResolvedWildcard,
  type ResolvedChildApplication,
  type ResolvedHelmSource,
  type ResolvedPlugin,
  type ResolvedProject,
  type ResolvedPreviewsProject,
  type ResolvedReservedNames,
  type ResolvedGroupKind,
  type ResolvedServiceAccount,
  type ResolvedPermission,
  type ResolvedImage,
  type ResolvedResources,
  type ResolvedContainer,
  type ResolvedCi,
  type ResolvedIngress,
  type ResolvedSupplyChain,
  type ResolvedSigningKey,
  type ResolvedMigration,
  type ResolvedSecret,
  type ResolvedDatabase,
  type DatabaseConnectionNames,
  type ResolvedDatabaseMasterSecret,
  type ResolvedDatabaseUserJob,
  type ResolvedImageUpdate,
  type ResolvedAppPaths,
  type ResolvedApp,
} from './model/resolved';
export { Platform, type ResolveOptions } from './platform/platform';
export { PlatformSpecLoader, type SpecLoadOptions } from './platform/loader';

// The add-ons: the built-in ones, and the contract a program's own add-on implements (TypeScript
// only: see docs/library.md, "Writing an add-on")
export { PlatformAddons } from './addons/built-in';
export {
  type PlatformAddon,
  type AddonInUse,
  type AddonSettings,
  type SettingsShape,
  type SettingsField,
  type RoleRequest,
  type AddonContext,
  type AddonResolution,
  type AddonValidationContext,
  type AddonManifestContext,
  type AddonAwsContext,
} from './model/resolved';
export { AccountResolver, type AccountResolverOptions, AccountSource, type ResolvedAccount } from './model/account';

// cdk8s constructs and charts
export { ArgoAppProject, type ArgoAppProjectProps, type AppProjectDestination, type GroupKind } from './k8s/argocd/app-project';
export {
  ArgoApplication,
  type ArgoApplicationProps,
  type ApplicationPlugin,
  type ApplicationSource,
  type ApplicationSyncPolicy,
  type IgnoreDifference,
  type SyncRetry,
} from './k8s/argocd/application';
export { RepositoryCredentials, type RepositoryCredentialsProps } from './k8s/argocd/repository-credentials';
export { ArgoClusterSecret, type ArgoClusterSecretProps } from './k8s/argocd/cluster-secret';
export { SecretsManagerStore, type SecretsManagerStoreProps } from './addons/external-secrets/secrets-manager-store';
export { ArgoCdBootstrapChart, type ArgoCdBootstrapChartProps } from './k8s/argocd/bootstrap-chart';
export { PlatformApplicationsChart, type PlatformApplicationsChartProps } from './k8s/argocd/platform-applications-chart';
export { ImageUpdater, type ImageUpdaterImage, type ImageUpdaterProps, type ImageUpdaterVerificationKey } from './addons/image-updater/image-updater';
export { ImageUpdaterOverlayChart, type ImageUpdaterOverlayChartProps } from './addons/image-updater/image-updater-overlay-chart';
export { AppSecretsChart, type AppSecretsChartProps } from './addons/external-secrets/app-secrets-chart';
export { ExternalDnsChart, type ExternalDnsChartProps } from './addons/external-dns/external-dns-chart';
export { PreviewExternalDnsChart, type PreviewExternalDnsChartProps } from './addons/external-dns/preview-external-dns-chart';
export { PreviewsApplicationSet, type PreviewsApplicationSetProps } from './k8s/argocd/previews-application-set';
export { NotificationsControllerChart, type NotificationsControllerChartProps } from './k8s/argocd/notifications-controller';
export { PreviewSecretStore, type PreviewSecretStoreProps } from './addons/external-secrets/preview-secret-store';
export { PreviewExternalSecret, type PreviewExternalSecretProps } from './addons/external-secrets/preview-external-secret';
export { AppWorkloadChart, type AppWorkloadChartProps } from './k8s/workload/app-workload-chart';
export { MigrationJobChart, type MigrationJobChartProps } from './k8s/migration/migration-job-chart';
export { DatabaseUserJobChart, type DatabaseUserJobChartProps } from './k8s/database/database-user-job-chart';

// The manifest repository tree; the generated files of every tree, and the writer that puts them into living checkouts
export { ManifestRepository } from './manifests/manifest-repository';
export { type GeneratedFile, type ManifestFile } from './output/generated-file';
export { CheckoutWriter, type CheckoutWriterProps, type CheckoutPlan, type CheckoutConflict } from './output/checkout-writer';

// CDK constructs and stacks
export { type GitHubSubjectFilter } from './model/github-subjects';
export { GitHubOidcProvider, type GitHubOidcProviderProps } from './aws/github-oidc-provider';
export { GitHubActionsRole, type GitHubActionsRoleProps } from './aws/github-actions-role';
export { PromotionRole, type PromotionRoleProps } from './aws/promotion-role';
export { ImageSigningKey, type ImageSigningKeyProps } from './aws/image-signing-key';
export { ImageSigningPublicKey, type ImageSigningPublicKeyProps } from './aws/image-signing-public-key';
export { IrsaRole, type IrsaRoleProps } from './aws/irsa-role';
export { PodIdentityRole, type PodIdentityRoleProps } from './aws/pod-identity-role';
export { ImageRepository, type ImageRepositoryProps } from './aws/image-repository';
export { type ImageRepositoryPuller } from './aws/cross-account-pull';
export { GitOpsCluster, type GitOpsClusterProps } from './aws/gitops-cluster';
export { AutoModeIngressClasses, type AutoModeIngressClassesProps } from './aws/auto-mode-ingress-classes';
export { ArgoCdInstall, type ArgoCdInstallProps } from './aws/argocd-install';
export { ExternalSecretsInstall, type ExternalSecretsInstallProps } from './addons/external-secrets/external-secrets-install';
export { ManagedArgoCd, type ManagedArgoCdProps } from './aws/managed-argocd';
export { ArgoCdHubAccess, type ArgoCdHubAccessProps } from './aws/argocd-hub-access';
export { AppResources, type AppResourcesProps, type AppDatabaseNetwork } from './aws/app-resources';
export { AppDatabase, type AppDatabaseProps } from './aws/app-database';
export { GitOpsPlatformStack, type GitOpsPlatformStackProps } from './aws/gitops-platform-stack';
export { GitOpsAppsStack, type GitOpsAppsStackProps } from './aws/gitops-apps-stack';
export { GitOpsPlatform, type GitOpsPlatformProps } from './aws/gitops-platform';

// The two programs of a platform repository: the CDK app (cdk.json) and the cdk8s app (cdk8s.yaml)
export { type PlatformAppOptions } from './app/app-options';
export { PlatformCdkApp, type PlatformCdkAppProps, type PlatformCdkAppEnvironmentsProps } from './app/cdk-app';
export { PlatformManifestsApp, type PlatformManifestsProps } from './app/manifests-app';

// argocd-vault-plugin (the `vault-plugin` secret backend)
export { VaultPluginChart, type VaultPluginChartProps, type RepoServerAdditions } from './addons/vault-plugin/argocd-vault-plugin';
export { AvpSecretChart, type AvpSecretChartProps } from './addons/vault-plugin/avp-secret-chart';

// GitHub Actions workflows of the application repositories
export { CiWorkflows, type RepositoryFiles } from './ci/ci-workflows';
