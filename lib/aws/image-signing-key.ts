import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ResolvedSigningKey } from '../model/resolved';

/**
 * What cosign's AWS KMS signer calls to sign (sigstore/sigstore pkg/signature/kms/aws/client.go):
 * `GetPublicKey` and `DescribeKey` (the key and its signing algorithm, fetched together and cached),
 * then `Sign` with the digest (`MessageType: DIGEST`). `cosign verify --key awskms://...` verifies
 * locally with the public key, so the same first two. Nothing else: no `Verify`, no key management.
 */
export const COSIGN_KMS_SIGN_ACTIONS = ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'];

/** Properties of an `ImageSigningKey`. */
export interface ImageSigningKeyProps {
  /** The resolved key: its alias. */
  readonly signingKey: ResolvedSigningKey;

  /**
   * Other accounts whose stacks read the public key (`kms:GetPublicKey` only): where the Image
   * Updater runs, when that is not this account.
   * @default - none
   */
  readonly publicKeyReaders?: string[];
}

/**
 * The platform's image signing key: an asymmetric AWS KMS key (key spec `ECC_NIST_P256`, usage
 * `SIGN_VERIFY`, algorithm ECDSA_SHA_256), because the Argo CD Image Updater verifies cosign
 * signatures with a PEM ECDSA public key only (registry-scanner/pkg/image/verify.go at v1.3.0). The
 * private key never leaves KMS: nothing is stored, and the CI roles that sign with it are granted
 * exactly `COSIGN_KMS_SIGN_ACTIONS` on it. Its alias is fixed (`alias/<platform>-image-signing`), so
 * the release workflows name it before it exists.
 *
 * The key policy is the default (the account's IAM policies decide) plus, for each account in
 * `publicKeyReaders`, `kms:GetPublicKey` and nothing else: a public key is no secret, and a caller in
 * another account must name the key by key or alias ARN (the KMS API reference of GetPublicKey).
 *
 * An asymmetric key has no automatic rotation (KMS rotates symmetric keys only; cdk-nag's
 * AwsSolutions-KMS5 checks symmetric keys only, so nothing is acknowledged). Removing the stack
 * schedules the key's deletion after KMS's longest waiting period, 30 days, during which
 * `aws kms cancel-key-deletion` brings it back; a key created again is another key pair, and the Image
 * Updater then moves only to releases signed after it.
 */
export class ImageSigningKey extends Construct {
  /** Lets a role sign with the key the way cosign does (`COSIGN_KMS_SIGN_ACTIONS`), on this key only. */
  public static signStatement(keyArn: string): iam.PolicyStatement {
    return new iam.PolicyStatement({ sid: 'SignImages', actions: COSIGN_KMS_SIGN_ACTIONS, resources: [keyArn] });
  }

  /** The key. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ImageSigningKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Resource', {
      description: 'Signs the platform\'s images for the Argo CD Image Updater (cosign, ECDSA P-256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      alias: props.signingKey.aliasName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const account of [...new Set(props.publicKeyReaders ?? [])]) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `ReadPublicKey${account}`,
          principals: [new iam.AccountPrincipal(account)],
          actions: ['kms:GetPublicKey'],
          resources: ['*'],
        }),
      );
    }
  }
}
