// The Argo CD mode: which Argo CD manages an environment, and where it runs. Resolved once, in the
// Argo CD section (resolve/argocd.ts); the constructs and the manifest tree ask the mode's strategy
// (lib/addons/argocd/) for what it means on each side instead of testing the spec's fields again.

/** How Argo CD manages an environment: the closed set of the platform's Argo CD modes. */
export enum ArgoCdMode {
  /**
   * Argo CD installed by the platform stack from the argo-cd Helm chart, on the environment's own
   * cluster (`argocd.managed: false`). Its Applications name that cluster `https://kubernetes.default.svc`.
   */
  SELF_MANAGED = 'self-managed',
  /**
   * The EKS managed Argo CD capability, on the environment's own cluster (`argocd.managed: true`),
   * which names clusters by ARN; on a hub (`argocd.hub`), it also manages the other environments.
   */
  MANAGED = 'managed',
  /**
   * Another environment's Argo CD (the hub's, `argocd.hub`) manages this one: nothing of Argo CD runs
   * on this cluster, the hub's role reaches it through an access entry.
   */
  SPOKE = 'spoke',
}
