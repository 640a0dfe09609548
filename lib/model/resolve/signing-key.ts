// Resolution, the platform's image signing key: the KMS key the release workflows of the
// applications delivered by the Image Updater sign with, beside their keyless signature.
import type { ResolvedApp, ResolvedSigningKey } from '../resolved';

/** The Secret, in the Image Updater's namespace, that holds the signing key's public half. */
export const SIGNING_KEY_SECRET = { name: 'argocd-image-updater-signing-key', key: 'cosign.pub' } as const;

/**
 * The signing key, when an application signs and is delivered by the Image Updater
 * (`supplyChain.keySigned`): in the registry environment's account and region (`images`), where the
 * CI roles that sign with it are, under an alias fixed by the platform's name, so the release
 * workflows and the other environments name it before it exists. `undefined` when no application
 * needs it: then no key is created.
 */
export function resolveSigningKey(
  platformName: string,
  images: { readonly account: string; readonly region: string; readonly partition: string },
  apps: readonly ResolvedApp[],
): ResolvedSigningKey | undefined {
  const signing = apps.filter((app) => app.supplyChain.keySigned).map((app) => app.name);
  if (signing.length === 0) return undefined;
  const aliasName = `alias/${platformName}-image-signing`;
  const aliasArn = `arn:${images.partition}:kms:${images.region}:${images.account}:${aliasName}`;
  return {
    aliasName,
    aliasArn,
    // cosign's AWS KMS reference (sigstore/sigstore pkg/signature/kms/aws/client.go): awskms://[ENDPOINT]/[ID/ALIAS/ARN]; no endpoint here.
    cosignKey: `awskms:///${aliasArn}`,
    apps: signing,
    secretName: SIGNING_KEY_SECRET.name,
    secretKey: SIGNING_KEY_SECRET.key,
  };
}
