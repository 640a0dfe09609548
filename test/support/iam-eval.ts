/**
 * A small evaluator of IAM trust policies as they appear in a synthesized template: enough to prove
 * which token claims a trust policy admits (AWS itself is not reachable from tests).
 */

/** Stand-in for the cluster's OIDC issuer, which exists only after deployment. */
export const FAKE_ISSUER = 'oidc.eks.ap-northeast-1.amazonaws.com/id/EXAMPLE';

/**
 * Where a template is deployed, for what CloudFormation would fill in: the pseudo parameters, and
 * the issuer EKS gives the cluster of that template (unknown until it exists).
 */
export interface EvalContext {
  /** `AWS::AccountId`. */
  readonly account: string;
  /** `AWS::Region`. */
  readonly region: string;
  /** The issuer of the template's EKS cluster, without `https://`. */
  readonly issuer: string;
}

/** The context of the single-account tests: account 123456789012, ap-northeast-1, `FAKE_ISSUER`. */
export const DEFAULT_CONTEXT: EvalContext = { account: '123456789012', region: 'ap-northeast-1', issuer: FAKE_ISSUER };

/**
 * The context of a template of `account` and `region` whose cluster is named `clusterName`: a
 * different issuer per cluster, as EKS gives each cluster its own (`oidc.eks.<region>.amazonaws.com/id/<id>`).
 */
export function environmentContext(account: string, region: string, clusterName: string): EvalContext {
  return { account, region, issuer: `oidc.eks.${region}.amazonaws.com/id/${clusterName.toUpperCase().replace(/[^A-Z0-9]/g, '')}${account}` };
}

/**
 * Resolves the intrinsic functions of a template value, with every `Fn::GetAtt`/`Ref` of an OIDC
 * provider's issuer replaced by the context's issuer (`FAKE_ISSUER` by default), the pseudo
 * parameters by the context's, and other references by `<LogicalId>`.
 */
// (`imported`, not `exports`: the CommonJS output refers to this module's own exports by that name.)
export function resolveIntrinsics(value: any, template: any, imported: Record<string, any> = {}, context: EvalContext = DEFAULT_CONTEXT): any {
  const resolve = (v: any) => resolveIntrinsics(v, template, imported, context);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = value[fn];
    switch (fn) {
      case 'Fn::Join': {
        const [sep, parts] = arg;
        return resolve(parts).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = resolve(arg);
        return list[index];
      }
      case 'Fn::Split': {
        const [sep, source] = resolve(arg);
        return String(source).split(sep);
      }
      case 'Fn::ImportValue': {
        const name = resolve(arg);
        if (!(name in imported)) return `<import ${name}>`;
        return imported[name];
      }
      case 'Fn::GetStackOutput': {
        // A weak cross-stack reference: the output of another stack, read at deploy time.
        const name = `${arg.StackName}:${arg.OutputName}`;
        if (!(name in imported)) return `<output ${name}>`;
        return imported[name];
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        const resource = template.Resources?.[logicalId];
        if (resource?.Type === 'AWS::IAM::OIDCProvider' && attribute === 'Arn') return oidcProviderArnOf(resource, template, context);
        if (resource?.Type === 'Custom::AWSCDKCfnJson' && attribute === 'Value') return JSON.parse(resolve(resource.Properties.Value));
        if (resource?.Type === 'AWS::EKS::Cluster' && attribute === 'OpenIdConnectIssuerUrl') return `https://${context.issuer}`;
        if (resource?.Type === 'AWS::ECR::Repository' && attribute === 'Arn') {
          return `arn:aws:ecr:${context.region}:${context.account}:repository/${resolve(resource.Properties.RepositoryName)}`;
        }
        // A key's id is KMS's; the logical id stands for it, so two keys of a template differ.
        if (resource?.Type === 'AWS::KMS::Key' && attribute === 'Arn') return `arn:aws:kms:${context.region}:${context.account}:key/${logicalId}`;
        if (resource?.Type === 'AWS::EKS::Cluster' && attribute === 'Arn') {
          return `arn:aws:eks:${context.region}:${context.account}:cluster/${resolve(resource.Properties.Name)}`;
        }
        return `<${logicalId}.${attribute}>`;
      }
      case 'Ref':
        if (arg === 'AWS::Partition') return 'aws';
        if (arg === 'AWS::Region') return context.region;
        if (arg === 'AWS::AccountId') return context.account;
        if (template.Resources?.[arg]?.Type === 'AWS::IAM::OIDCProvider') return oidcProviderArnOf(template.Resources[arg], template, context);
        return `<${arg}>`;
      default:
    }
  }
  return Object.fromEntries(keys.map((k) => [k, resolve(value[k])]));
}

/**
 * The exports and outputs of a template, resolved: what other stacks' `Fn::ImportValue` (by export
 * name) and `Fn::GetStackOutput` (by `<stack>:<output>`) read.
 */
export function templateExports(template: any, stackName?: string, context: EvalContext = DEFAULT_CONTEXT): Record<string, any> {
  const outputs = Object.entries<any>(template.Outputs ?? {});
  const resolve = (v: any) => resolveIntrinsics(v, template, {}, context);
  return Object.fromEntries([
    ...outputs.filter(([, o]) => o.Export).map(([, o]) => [resolve(o.Export.Name), resolve(o.Value)]),
    ...(stackName ? outputs.map(([key, o]) => [`${stackName}:${key}`, resolve(o.Value)]) : []),
  ]);
}

/**
 * The resolved properties of an IAM role resource, with a trust policy given as a JSON string (how
 * `IrsaRole` writes conditions whose keys hold the cluster's issuer) parsed into its object.
 */
export function resolveRole(properties: any, template: any, imported: Record<string, any> = {}, context: EvalContext = DEFAULT_CONTEXT): any {
  const resolved = resolveIntrinsics(properties, template, imported, context);
  const trust = resolved.AssumeRolePolicyDocument;
  return typeof trust === 'string' ? { ...resolved, AssumeRolePolicyDocument: JSON.parse(trust) } : resolved;
}

/** The ARN of an OIDC provider resource: its URL without the scheme. */
function oidcProviderArnOf(resource: any, template: any, context: EvalContext): string {
  const url = String(resolveIntrinsics(resource.Properties.Url, template, {}, context)).replace(/^https:\/\//, '');
  return `arn:aws:iam::${context.account}:oidc-provider/${url}`;
}

const asArray = (v: any): any[] => (Array.isArray(v) ? v : [v]);

function like(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(value);
}

/** Whether a statement's conditions admit the request context (claims by condition key). */
export function conditionsMatch(conditions: any, context: Record<string, string>): boolean {
  for (const [operator, block] of Object.entries(conditions ?? {})) {
    for (const [key, expected] of Object.entries(block as object)) {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = asArray(expected).map(String);
      // ArnEquals and ArnLike behave alike: each matches the whole ARN, '*' and '?' as wildcards.
      const ok =
        operator === 'StringEquals'
          ? values.includes(actual)
          : operator === 'StringLike' || operator === 'ArnEquals' || operator === 'ArnLike'
            ? values.some((v) => like(v, actual))
            : false;
      if (!ok) return false;
    }
  }
  return true;
}

/**
 * Whether a (resolved) trust policy lets a web identity from `providerArn` with these claims assume
 * the role: some Allow statement for sts:AssumeRoleWithWebIdentity names the provider and its
 * conditions all hold.
 */
export function trustAdmits(document: any, providerArn: string, claims: Record<string, string>): boolean {
  return asArray(document.Statement).some(
    (s: any) =>
      s.Effect === 'Allow' &&
      asArray(s.Action).includes('sts:AssumeRoleWithWebIdentity') &&
      asArray(s.Principal?.Federated).includes(providerArn) &&
      conditionsMatch(s.Condition, claims),
  );
}

/**
 * Whether a (resolved) trust policy lets an AWS service assume the role with these request values,
 * e.g. EKS Pod Identity (`pods.eks.amazonaws.com`) with the session tags it sets: some Allow statement
 * names the service, allows every one of `actions`, and its conditions all hold.
 */
export function trustAdmitsService(document: any, service: string, actions: string[], context: Record<string, string>): boolean {
  return asArray(document.Statement).some(
    (s: any) =>
      s.Effect === 'Allow' &&
      actions.every((a) => asArray(s.Action).includes(a)) &&
      asArray(s.Principal?.Service).includes(service) &&
      conditionsMatch(s.Condition, context),
  );
}

/** A request to a resource whose policy is evaluated: who asks, and for what. */
export interface ResourceRequest {
  /** The role the request is signed by (for a role's session, `aws:PrincipalArn` is the role's ARN). */
  readonly principalArn: string;
  /** The action, e.g. `ecr:BatchGetImage`. */
  readonly action: string;
}

/**
 * Whether a (resolved) resource policy, such as an ECR repository policy, allows a request from a role
 * of another account: some Allow statement names the role's account (`arn:aws:iam::<account>:root`) or
 * the role itself, allows the action (a trailing `*` is a wildcard), and its conditions hold with
 * `aws:PrincipalArn` set to the role; and no Deny statement matches. (Another account's request
 * needs its own IAM policy as well; this is the resource's half of the decision.)
 */
export function resourcePolicyAllows(document: any, request: ResourceRequest): boolean {
  const account = request.principalArn.split(':')[4];
  const matches = (s: any) =>
    asArray(s.Principal?.AWS).some((p: string) => p === request.principalArn || p === `arn:aws:iam::${account}:root` || p === account) &&
    asArray(s.Action).some((a: string) => like(a, request.action)) &&
    conditionsMatch(s.Condition, { 'aws:PrincipalArn': request.principalArn });
  const statements = asArray(document?.Statement ?? []);
  return statements.some((s: any) => s.Effect === 'Allow' && matches(s)) && !statements.some((s: any) => s.Effect === 'Deny' && matches(s));
}

/**
 * Whether (resolved) identity policies allow `action` on `resource`, as IAM decides for a request
 * without conditions: some Allow statement matches the action and the resource (`*` and `?` as
 * wildcards, IAM actions case-insensitively), and no Deny statement does. A statement with
 * `NotAction`, `NotResource` or a `Condition` is refused rather than guessed at.
 */
export function identityPolicyAllows(documents: any[], action: string, resource: string): boolean {
  const statements = documents.flatMap((d) => asArray(d?.Statement ?? []));
  for (const s of statements) {
    if (s.NotAction || s.NotResource || s.Condition) throw new Error(`identityPolicyAllows: statement ${s.Sid ?? JSON.stringify(s)} has NotAction, NotResource or a Condition, which this evaluator does not model`);
  }
  const matches = (s: any) =>
    asArray(s.Action).some((a: string) => like(a.toLowerCase(), action.toLowerCase())) && asArray(s.Resource).some((r: string) => like(r, resource));
  return statements.some((s: any) => s.Effect === 'Allow' && matches(s)) && !statements.some((s: any) => s.Effect === 'Deny' && matches(s));
}
