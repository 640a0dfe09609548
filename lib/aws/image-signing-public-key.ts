import { CfnElement, CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNagFindings, logicalIdOf, wildcardFinding } from './nag';
import type { ResolvedSigningKey } from '../model/resolved';

/**
 * The function behind `ImageSigningPublicKey`, inline (no asset, no bundling): on Create and Update
 * it calls `kms:GetPublicKey` with the key's alias ARN and answers CloudFormation with the key as
 * PEM (`Data.Pem`); on Delete it answers at once. KMS returns the public key as DER-encoded
 * SubjectPublicKeyInfo (the GetPublicKey API reference), and a PEM public key is that DER in base64
 * between `-----BEGIN PUBLIC KEY-----` and `-----END PUBLIC KEY-----` (RFC 7468), wrapped at 64
 * characters as Go writes it (Go's encoding/pem Decode strips the line breaks before it decodes the
 * base64, so any wrapping would do). The answer is a PUT of the response object to the pre-signed
 * `ResponseURL`, as CloudFormation's custom resource protocol asks.
 */
export const PUBLIC_KEY_HANDLER = `
const { KMSClient, GetPublicKeyCommand } = require('@aws-sdk/client-kms');

function pemOf(der) {
  const base64 = Buffer.from(der).toString('base64');
  return '-----BEGIN PUBLIC KEY-----\\n' + base64.match(/.{1,64}/g).join('\\n') + '\\n-----END PUBLIC KEY-----\\n';
}

function respond(event, status, reason, data) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId || event.ResourceProperties.KeyId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  const url = new URL(event.ResponseURL);
  const client = require(url.protocol === 'http:' ? 'http' : 'https');
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.on('error', reject);
    request.end(body);
  });
}

exports.handler = async (event) => {
  try {
    if (event.RequestType === 'Delete') return await respond(event, 'SUCCESS', 'nothing to delete', {});
    const kms = new KMSClient({ region: event.ResourceProperties.Region });
    const out = await kms.send(new GetPublicKeyCommand({ KeyId: event.ResourceProperties.KeyId }));
    if (out.KeySpec !== 'ECC_NIST_P256') throw new Error('key spec ' + out.KeySpec + ' is not ECC_NIST_P256');
    return await respond(event, 'SUCCESS', 'public key read', { Pem: pemOf(out.PublicKey) });
  } catch (error) {
    console.error(error);
    return await respond(event, 'FAILED', String(error && error.message || error).slice(0, 1000), {});
  }
};
`;

/** Properties of an `ImageSigningPublicKey`. */
export interface ImageSigningPublicKeyProps {
  /** The cluster the Image Updater runs on. */
  readonly cluster: eks.ICluster;
  /** The resolved signing key: its alias ARN, and the Secret's name and key. */
  readonly signingKey: ResolvedSigningKey;
  /** The Image Updater's namespace (the ImageUpdater resources' own: the Secret must be beside them). */
  readonly namespace: string;
  /**
   * ARN of the key, when it is in this stack: the read is granted on it, and a new key reads its public key again.
   * @default - the key is in another stack: the read is granted on the keys of its account and region under its alias
   */
  readonly keyArn?: string;
}

/**
 * The signing key's public half, as the Image Updater reads it: a Secret in its namespace with the
 * PEM (the ImageUpdater CRD's `cosignKey`: a Secret in the resource's namespace, `key` naming the
 * data entry). KMS has no CloudFormation attribute for a public key, and aws-cdk-lib's
 * AwsCustomResource answers a binary field as UTF-8 text (which mangles DER), so a small function of
 * its own (`PUBLIC_KEY_HANDLER`) reads it and converts it; the stack applies the Secret to the
 * cluster, like the bootstrap, once Argo CD's namespace exists.
 *
 * Why this and not Secrets Manager with an ExternalSecret: that would still need the same read of
 * the public key, plus a secret, its resource policy and a customer managed key to share it with
 * another account, a SecretStore and an ExternalSecret; here one function and one manifest, and no
 * stored secret anywhere (the public key is no secret).
 */
export class ImageSigningPublicKey extends Construct {
  /** The PEM, as CloudFormation knows it once the function has read it. */
  public readonly pem: string;
  /** The Secret, applied to the cluster. */
  public readonly secret: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ImageSigningPublicKeyProps) {
    super(scope, id);
    const { signingKey } = props;
    const [, partition, , region, account] = signingKey.aliasArn.split(':');
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Reads the public key of ${signingKey.aliasName}`,
      inlinePolicies: {
        Permissions: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}:*`] }),
            // KMS authorizes a request on the key, never on the alias it names (KMS developer guide,
            // "Use aliases to control access to KMS keys"): in another stack, the key of the account
            // and region that the request names by this alias only (kms:RequestAlias).
            props.keyArn
              ? new iam.PolicyStatement({ sid: 'ReadPublicKey', actions: ['kms:GetPublicKey'], resources: [props.keyArn] })
              : new iam.PolicyStatement({
                sid: 'ReadPublicKey',
                actions: ['kms:GetPublicKey'],
                resources: [`arn:${partition}:kms:${region}:${account}:key/*`],
                // The alias as the request names it: the function names it by its ARN, which another account must.
                conditions: { StringEquals: { 'kms:RequestAlias': [signingKey.aliasName, signingKey.aliasArn] } },
              }),
          ],
        }),
      },
    });
    const handler = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(PUBLIC_KEY_HANDLER),
      timeout: Duration.minutes(1),
      role,
      logGroup,
      description: `Reads the public key of ${signingKey.aliasName} as PEM`,
    });
    handler.node.addDependency(role);
    const read = new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::ImageSigningPublicKey',
      // The key by its ARN when it is in this stack: the read then waits for the key, never for its
      // alias (which CloudFormation may create at the same time, or move to a new key after the read),
      // and a key created again (a new key pair) is read again. In another stack, by its alias ARN.
      properties: { KeyId: props.keyArn ?? signingKey.aliasArn, Region: region },
      // The function answers in seconds; a failed answer would otherwise hold the stack for an hour.
      serviceTimeout: Duration.minutes(5),
    });
    this.pem = read.getAttString('Pem');
    this.secret = new eks.KubernetesManifest(this, 'Secret', {
      cluster: props.cluster,
      manifest: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: signingKey.secretName, namespace: props.namespace, labels: { 'app.kubernetes.io/part-of': 'argocd-image-updater' } },
          type: 'Opaque',
          stringData: { [signingKey.secretKey]: this.pem },
        },
      ],
      overwrite: true,
    });
    if (!props.keyArn) {
      acknowledgeNagFindings(role.node.defaultChild, [wildcardFinding(`arn:${partition}:kms:${region}:${account}:key/*`)], 'A key of another stack is known by its alias only: the statement allows kms:GetPublicKey on the key the request names by that alias (kms:RequestAlias), and nothing else.');
    }
    const logGroupId = logicalIdOf(logGroup.node.defaultChild as CfnElement);
    acknowledgeNagFindings(role.node.defaultChild, [wildcardFinding(`<${logGroupId}.Arn>:*`)], 'The log streams of the function\'s own log group, which Lambda names as it runs.');
  }
}
