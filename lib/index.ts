// The public API. This file only re-exports; see API.md for the documentation of every export.

export * from './spec/types';
export * from './spec/resolved';
export * from './spec/platform';
export { PlatformSpecLoader } from './spec/loader';
export { AccountResolver, AccountResolverOptions, AccountSource, ResolvedAccount } from './spec/account';

// cdk8s constructs and charts
export * from './k8s/argocd/app-project';
export * from './k8s/argocd/application';
export { RepositoryCredentials, RepositoryCredentialsProps } from './k8s/argocd/repository-credentials';
export { ArgoClusterSecret, ArgoClusterSecretProps } from './k8s/argocd/cluster-secret';
export { SecretsManagerStore, SecretsManagerStoreProps } from './k8s/external-secrets/secrets-manager-store';
export { ArgoCdBootstrapChart, ArgoCdBootstrapChartProps } from './k8s/argocd/bootstrap-chart';
export { PlatformApplicationsChart, PlatformApplicationsChartProps } from './k8s/argocd/platform-applications-chart';
export { ImageUpdater, ImageUpdaterImage, ImageUpdaterProps } from './k8s/image-updater/image-updater';
export { ImageUpdaterOverlayChart, ImageUpdaterOverlayChartProps } from './k8s/image-updater/image-updater-overlay-chart';
export { AppSecretsChart, AppSecretsChartProps } from './k8s/external-secrets/app-secrets-chart';
export { ExternalDnsChart, ExternalDnsChartProps } from './k8s/external-dns/external-dns-chart';
export { AppWorkloadChart, AppWorkloadChartProps } from './k8s/workload/app-workload-chart';
export { MigrationJobChart, MigrationJobChartProps } from './k8s/migration/migration-job-chart';

// The manifest repository tree, and the writer that puts generated trees into living checkouts
export { ManifestRepository, ManifestFile } from './manifests/manifest-repository';
export { CheckoutWriter, CheckoutWriterProps, CheckoutPlan, CheckoutConflict } from './manifests/checkout-writer';

// CDK constructs and stacks
export * from './aws/github-subjects';
export * from './aws/github-oidc-provider';
export * from './aws/github-actions-role';
export * from './aws/irsa-role';
export * from './aws/image-repository';
export * from './aws/gitops-cluster';
export * from './aws/argocd-install';
export * from './aws/external-secrets-install';
export * from './aws/managed-argocd';
export * from './aws/app-resources';
export * from './aws/gitops-platform-stack';
export * from './aws/gitops-apps-stack';
export * from './aws/gitops-platform';

// argocd-vault-plugin (the `vault-plugin` secret backend)
export { VaultPluginChart, VaultPluginChartProps, RepoServerAdditions } from './k8s/vault-plugin/argocd-vault-plugin';
export { AvpSecretChart, AvpSecretChartProps } from './k8s/vault-plugin/avp-secret-chart';

// GitHub Actions workflows of the application repositories
export { CiWorkflows, RepositoryFiles } from './ci/ci-workflows';
