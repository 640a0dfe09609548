// The platform's image signing key, for the Argo CD Image Updater (which verifies cosign signatures
// by public key only): the KMS key, the CI role's calls on it, evaluated as IAM decides, and the
// function that turns its public key into the PEM of the Image Updater's Secret, run for real.
import { createPublicKey, generateKeyPairSync } from 'crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'fs';
import { createServer } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { PlatformCdkApp } from '../../lib/app/cdk-app';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { COSIGN_KMS_SIGN_ACTIONS } from '../../lib/aws/image-signing-key';
import { PUBLIC_KEY_HANDLER } from '../../lib/aws/image-signing-public-key';
import { SIGNING_KEY_SECRET } from '../../lib/model/resolve/signing-key';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath, sandboxPlatform, sandboxSpec, twoEnvironmentsSpec } from '../fixtures';
import { DEFAULT_CONTEXT, identityPolicyAllows, resolveIntrinsics } from '../support/iam-eval';

const { account, region } = DEFAULT_CONTEXT;

function synth(platform: ResolvedPlatform) {
  const template = Template.fromStack(new GitOpsPlatform(cdkApp(), 'w', { platform }).platformStack).toJSON();
  const resources = Object.entries<any>(template.Resources);
  const of = (type: string) => resources.filter(([, r]) => r.Type === type);
  return { template, of };
}

describe('the sandbox, whose one application signs and is delivered by the Image Updater', () => {
  const platform = sandboxPlatform();
  const { template, of } = synth(platform);
  const [[keyId, key]] = of('AWS::KMS::Key');
  const keyArn = `arn:aws:kms:${region}:${account}:key/${keyId}`;

  test('resolves one signing key under a fixed alias, which the app signs with', () => {
    expect(platform.images.signingKey).toEqual({
      aliasName: 'alias/sandbox-image-signing',
      aliasArn: `arn:aws:kms:${region}:${account}:alias/sandbox-image-signing`,
      cosignKey: `awskms:///arn:aws:kms:${region}:${account}:alias/sandbox-image-signing`,
      apps: ['main'],
      secretName: SIGNING_KEY_SECRET.name,
      secretKey: SIGNING_KEY_SECRET.key,
    });
    expect(platform.apps[0].supplyChain).toEqual({ sign: true, keySigned: true });
  });

  test('the key is an asymmetric ECDSA P-256 signing key, its alias the resolved one, deleted (after the waiting period) with the stack', () => {
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(key.Properties.EnableKeyRotation).toBeUndefined();
    expect(key.DeletionPolicy).toBe('Delete');
    const [[, alias]] = of('AWS::KMS::Alias');
    expect(alias.Properties).toEqual({ AliasName: 'alias/sandbox-image-signing', TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    // One environment: no other account reads the public key.
    expect(key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid ?? s.Principal)).toHaveLength(1);
  });

  const ciRole = () => {
    const [, role] = of('AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === platform.apps[0].ci.role.roleName)!;
    return resolveIntrinsics(role.Properties, template).Policies.map((p: any) => p.PolicyDocument);
  };

  test.each(COSIGN_KMS_SIGN_ACTIONS)('the CI role may call %s on the signing key', (action) => {
    expect(identityPolicyAllows(ciRole(), action, keyArn)).toBe(true);
  });

  test.each(COSIGN_KMS_SIGN_ACTIONS)('and %s on no other key', (action) => {
    expect(identityPolicyAllows(ciRole(), action, `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`)).toBe(false);
    expect(identityPolicyAllows(ciRole(), action, '*')).toBe(false);
  });

  test.each(['kms:Verify', 'kms:Decrypt', 'kms:Encrypt', 'kms:CreateKey', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:CreateAlias', 'kms:UpdateAlias'])(
    'nothing else of KMS: %s is refused on the signing key',
    (action) => {
      expect(identityPolicyAllows(ciRole(), action, keyArn)).toBe(false);
    },
  );

  test('the one new statement is the signing one; the rest of the CI role is what it was', () => {
    const [document] = ciRole();
    expect(document.Statement.map((s: any) => s.Sid)).toEqual(['EcrLogin', 'PushImages', 'SignImages']);
    expect(document.Statement[2]).toEqual({ Sid: 'SignImages', Effect: 'Allow', Action: COSIGN_KMS_SIGN_ACTIONS, Resource: keyArn });
  });

  test('the Secret the stack applies is the one the ImageUpdater resource names, in its namespace, with the PEM the function reads', () => {
    const [[readerId]] = of('Custom::ImageSigningPublicKey');
    const [, manifest] = of('Custom::AWSCDK-EKS-KubernetesResource').find(([id]) => id.startsWith('ImageSigningPublicKeySecret'))!;
    const secret = JSON.parse(JSON.stringify(manifest.Properties.Manifest).replace(/\{"Fn::GetAtt":\["[A-Za-z0-9]+","Pem"\]\}/g, '"<pem>"'));
    expect(JSON.stringify(manifest.Properties.Manifest)).toContain(`"${readerId}","Pem"`);
    const rendered = resolveIntrinsics(secret, template);
    const [object] = JSON.parse(rendered);
    expect(object).toMatchObject({
      kind: 'Secret',
      metadata: { name: SIGNING_KEY_SECRET.name, namespace: platform.argocd.namespace },
      stringData: { [SIGNING_KEY_SECRET.key]: '<pem>' },
    });
  });

  test('the function reads the key by its ARN, so the read waits for the key and never races its alias; it answers within 5 minutes', () => {
    const [[, reader]] = of('Custom::ImageSigningPublicKey');
    // The key's ARN, not the alias's: CloudFormation may create AWS::KMS::Alias beside the read.
    expect(reader.Properties.KeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(reader.Properties.ServiceTimeout).toBe('300');
  });

  test('the reading function may read the public key of this key only, and write its own logs', () => {
    const [, role] = of('AWS::IAM::Role').find(([id]) => id.startsWith('ImageSigningPublicKeyRole'))!;
    const documents = resolveIntrinsics(role.Properties, template).Policies.map((p: any) => p.PolicyDocument);
    expect(identityPolicyAllows(documents, 'kms:GetPublicKey', keyArn)).toBe(true);
    expect(identityPolicyAllows(documents, 'kms:Sign', keyArn)).toBe(false);
    expect(identityPolicyAllows(documents, 'kms:GetPublicKey', `arn:aws:kms:${region}:${account}:key/other`)).toBe(false);
  });
});

describe('the registry in another account than the Image Updater (the two-environment example, registry production)', () => {
  const spec = twoEnvironmentsSpec();
  spec.registry.environment = 'production';
  const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
  const [staging, production] = platforms;
  const app = cdkApp();
  const [stagingPlatform, productionPlatform] = PlatformCdkApp.addEnvironments(app, { platforms, nag: false });
  const stagingTemplate = Template.fromStack(stagingPlatform.platformStack).toJSON();
  const productionTemplate = Template.fromStack(productionPlatform.platformStack).toJSON();
  const ofType = (template: any, type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);

  test('the key is production\'s (the registry), every environment names it by the same alias ARN', () => {
    expect(platforms.map((p) => p.images.signingKey?.aliasArn)).toEqual([
      'arn:aws:kms:ap-northeast-1:222222222222:alias/shop-image-signing',
      'arn:aws:kms:ap-northeast-1:222222222222:alias/shop-image-signing',
    ]);
    expect(ofType(productionTemplate, 'AWS::KMS::Key')).toHaveLength(1);
    expect(ofType(stagingTemplate, 'AWS::KMS::Key')).toEqual([]);
    // The Image Updater runs in staging, where releases arrive: the Secret is written there only.
    expect([staging.usesImageUpdater, production.usesImageUpdater]).toEqual([true, false]);
    expect(ofType(stagingTemplate, 'Custom::ImageSigningPublicKey')).toHaveLength(1);
    expect(ofType(productionTemplate, 'Custom::ImageSigningPublicKey')).toEqual([]);
  });

  test('the key policy lets staging\'s account read the public key, and nothing else', () => {
    const [[, key]] = ofType(productionTemplate, 'AWS::KMS::Key');
    const statements = resolveIntrinsics(key.Properties.KeyPolicy, productionTemplate, {}, { ...DEFAULT_CONTEXT, account: '222222222222' }).Statement;
    const others = statements.filter((s: any) => JSON.stringify(s.Principal).includes('111111111111'));
    expect(others).toEqual([{ Sid: 'ReadPublicKey111111111111', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:GetPublicKey', Resource: '*' }]);
  });

  test('staging\'s function names the key by its alias ARN (another account\'s key must be), and may read only a key of that account under that alias', () => {
    const [[, reader]] = ofType(stagingTemplate, 'Custom::ImageSigningPublicKey');
    expect(reader.Properties).toMatchObject({ KeyId: 'arn:aws:kms:ap-northeast-1:222222222222:alias/shop-image-signing', Region: 'ap-northeast-1' });
    expect(reader.Properties.KeyArn).toBeUndefined();
    const [, role] = ofType(stagingTemplate, 'AWS::IAM::Role').find(([id]) => id.startsWith('ImageSigningPublicKeyRole'))!;
    const [statement] = role.Properties.Policies[0].PolicyDocument.Statement.filter((s: any) => s.Sid === 'ReadPublicKey');
    expect(statement).toEqual({
      Sid: 'ReadPublicKey',
      Effect: 'Allow',
      Action: 'kms:GetPublicKey',
      Resource: 'arn:aws:kms:ap-northeast-1:222222222222:key/*',
      Condition: { StringEquals: { 'kms:RequestAlias': ['alias/shop-image-signing', 'arn:aws:kms:ap-northeast-1:222222222222:alias/shop-image-signing'] } },
    });
  });

  test('staging\'s stack is deployed after production\'s, which creates the key', () => {
    expect(stagingPlatform.platformStack.dependencies).toContain(productionPlatform.platformStack);
    expect(productionPlatform.platformStack.dependencies).not.toContain(stagingPlatform.platformStack);
  });
});

describe('the EKS managed Argo CD (examples/managed-argocd)', () => {
  const platform = Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml')));
  const { template, of } = synth(platform);

  test('the Image Updater runs in the cluster there too: the Secret is applied after the capability, which makes Argo CD\'s namespace', () => {
    expect(platform.usesImageUpdater).toBe(true);
    const [[capabilityId]] = of('AWS::EKS::Capability');
    const [[secretId, secret]] = of('Custom::AWSCDK-EKS-KubernetesResource').filter(([id]) => id.startsWith('ImageSigningPublicKeySecret'));
    expect([secret.DependsOn].flat()).toContain(capabilityId);
    expect(JSON.stringify(template.Resources[secretId].Properties.Manifest)).toContain(`\\"namespace\\":\\"${platform.argocd.namespace}\\"`);
  });
});

describe('an application that does not sign', () => {
  const spec = sandboxSpec();
  spec.apps[0].supplyChain = { sign: false };
  const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
  const { template, of } = synth(platform);

  test('gets no key, no signing permission and no Secret', () => {
    expect(platform.images.signingKey).toBeUndefined();
    expect(of('AWS::KMS::Key')).toEqual([]);
    expect(of('Custom::ImageSigningPublicKey')).toEqual([]);
    expect(JSON.stringify(template)).not.toContain('kms:Sign');
  });
});

describe('PUBLIC_KEY_HANDLER, run with a stand-in KMS client that answers with a real P-256 key', () => {
  /** Runs the handler once; returns what it PUT to the response URL. */
  async function run(event: Record<string, unknown>, answer: Record<string, unknown>): Promise<any> {
    const dir = mkdtempSync(join(tmpdir(), 'public-key-handler-'));
    // The stand-in of the runtime's AWS SDK: GetPublicKey answers as KMS does, with the DER bytes.
    mkdirSync(join(dir, 'node_modules', '@aws-sdk', 'client-kms'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', '@aws-sdk', 'client-kms', 'index.js'),
      `const answer = ${JSON.stringify({ ...answer, PublicKey: answer.PublicKey && Buffer.from(answer.PublicKey as Buffer).toString('base64') })};
       exports.calls = [];
       exports.GetPublicKeyCommand = class { constructor(input) { this.input = input; } };
       exports.KMSClient = class { constructor(config) { this.config = config; } async send(command) { exports.calls.push({ region: this.config.region, ...command.input }); return { ...answer, PublicKey: answer.PublicKey && new Uint8Array(Buffer.from(answer.PublicKey, 'base64')) }; } };`,
    );
    writeFileSync(join(dir, 'index.js'), PUBLIC_KEY_HANDLER);
    let received = '';
    const server = createServer((request, response) => {
      request.on('data', (chunk) => (received += chunk));
      request.on('end', () => response.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as any).port;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const handler = require(join(dir, 'index.js'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const kms = require(join(dir, 'node_modules', '@aws-sdk', 'client-kms'));
      await handler.handler({ ResponseURL: `http://127.0.0.1:${port}/response`, StackId: 's', RequestId: 'r', LogicalResourceId: 'l', ...event });
      return { response: JSON.parse(received), calls: kms.calls };
    } finally {
      server.close();
    }
  }

  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const properties = { KeyId: 'arn:aws:kms:ap-northeast-1:123456789012:alias/sandbox-image-signing', Region: 'ap-northeast-1' };

  test('answers Create with a PEM that parses back to the same key', async () => {
    const { response, calls } = await run({ RequestType: 'Create', ResourceProperties: properties }, { KeySpec: 'ECC_NIST_P256', PublicKey: der });
    expect(calls).toEqual([{ region: 'ap-northeast-1', KeyId: properties.KeyId }]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: properties.KeyId, StackId: 's', RequestId: 'r', LogicalResourceId: 'l' });
    const pem: string = response.Data.Pem;
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PUBLIC KEY-----\n$/);
    const parsed = createPublicKey(pem);
    expect(parsed.asymmetricKeyType).toBe('ec');
    expect(parsed.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(parsed.export({ type: 'spki', format: 'der' }).equals(der)).toBe(true);
  });

  test('answers Delete without calling KMS', async () => {
    const { response, calls } = await run({ RequestType: 'Delete', PhysicalResourceId: properties.KeyId, ResourceProperties: properties }, {});
    expect(calls).toEqual([]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: properties.KeyId });
  });

  test('fails, saying why, on a key that is not ECDSA P-256 (the Image Updater verifies ECDSA only)', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
    const { response } = await run({ RequestType: 'Update', PhysicalResourceId: properties.KeyId, ResourceProperties: properties }, { KeySpec: 'RSA_2048', PublicKey: rsa });
    expect(response).toMatchObject({ Status: 'FAILED', Reason: 'key spec RSA_2048 is not ECC_NIST_P256' });
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
