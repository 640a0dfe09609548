import { previewBuildWorkflowPath, previewWorkflowPath } from '../../ci/preview-workflow';
import { ArgoCdMode } from '../../model/argocd-mode';
import { kubernetesSupportWarnings } from '../../model/kubernetes-versions';
import { PLACEHOLDER_ACCOUNT, stackIds } from '../../model/naming';
import type { ResolvedPlatform } from '../../model/resolved';
import type { PlatformSpec } from '../../model/types';
import { databaseWarnings } from '../../model/validate/database';
import { deployFeedbackWarnings } from '../../model/validate/feedback';
import { previewsWarnings } from '../../model/validate/previews';
import { supplyChainWarnings } from '../../model/validate/supply-chain';
import { PlatformSpecLoader } from '../../platform/loader';
import { Platform } from '../../platform/platform';
import type { Command, CommandContext, OptionValues } from '../command';
import { PLACEHOLDER_VALUES } from '../platform-repository';
import { counted } from '../platform-summary';
import { DEFAULT_SPEC, specPathOf } from '../spec-option';
import { UsageError } from '../usage-error';

/**
 * What a valid spec still gets wrong for a real deploy: the cluster warnings synth prints too (a
 * Kubernetes version near or in EKS extended support, no admin role), and the starter spec's
 * placeholders, which validate but name nobody's repository or zone. One line each, printed to
 * standard error after `warning: `.
 */
function warnings(spec: PlatformSpec, platforms: ResolvedPlatform[]): string[] {
  const found: string[] = [
    ...kubernetesSupportWarnings(platforms),
    ...supplyChainWarnings(platforms),
    ...deployFeedbackWarnings(platforms),
    ...databaseWarnings(platforms),
    ...previewsWarnings(spec, platforms, (app) => [previewWorkflowPath(app), previewBuildWorkflowPath(app)]),
  ];
  for (const platform of platforms) {
    if (platform.cluster.adminRoleArns.length) continue;
    const where = platforms.length > 1 ? `environment ${platform.environment}: ` : '';
    found.push(
      `${where}no cluster.adminRoleArns: only the CloudFormation execution role can use the Kubernetes API of ${platform.cluster.name}, ` +
        "so nobody can run kubectl (or the teardown); synth warns too. Add your role's ARN to cluster.adminRoleArns",
    );
  }
  const placeholder = (path: string, value: string | undefined, expected: string, how: string) => {
    if (value === expected) found.push(`${path} is '${value}', a placeholder of the starter spec init writes: replace it with ${how}`);
  };
  placeholder('github.ownerId', spec.github.ownerId, PLACEHOLDER_VALUES.ownerId, `your owner's id (gh api users/${spec.github.owner} --jq .id)`);
  spec.apps.forEach((app, i) => {
    const repository = `${spec.github.owner}/${app.ci.repository}`;
    placeholder(`apps[${i}].ci.repositoryId`, app.ci.repositoryId, PLACEHOLDER_VALUES.repositoryId, `the repository's id (gh api repos/${repository} --jq .id)`);
  });
  placeholder('dns.hostedZoneId', spec.dns?.hostedZoneId, PLACEHOLDER_VALUES.hostedZoneId, `the zone's id (aws route53 list-hosted-zones-by-name --dns-name ${spec.dns?.domain})`);
  return found;
}

const HELP = `Usage: cdk-eks-gitops validate [FILE]

Checks a platform spec, offline and without AWS credentials: every field on its own, and the rules
that relate fields to each other (these run even when some fields have problems of their own).
Prints every problem at once, one line each with the path of its field, and exits 1; or prints one
line saying what the spec describes, and exits 0, with a warning on standard error for what synth
would warn about too: a Kubernetes version near or in EKS extended support, a cluster nobody can
run kubectl on (no cluster.adminRoleArns); for an application whose images are not signed
(apps[].supplyChain.sign: false); for deploy feedback (argocd.deployFeedback), which an Argo CD
installed from the manifest tree does not report (with the EKS managed Argo CD: its ConfigMap must
stay without the capability's opt-in label), and whose pull-request apps deploy the tag of their
Application file; for each application's database (apps[].database): its containers must restart
within rotationDays of each rotation of their user's password; for previews (apps[].previews): fields set while
previews are off, and what to create before the first preview (the GitHub App's secret, the preview
secret, the certificate, the workflows on the default branch); and for the placeholders of init's
starter spec still in place.

Arguments:
  FILE                  the platform spec (default: $PLATFORM_SPEC, else ${DEFAULT_SPEC})

Options:
  --spec FILE           the same, named as the other commands name it
  -h, --help            show this help

Examples:
  npx cdk-eks-gitops validate
  npx cdk-eks-gitops validate examples/sandbox/platform.yaml
`;

/** `cdk-eks-gitops validate`: every problem of a spec at once, or what it describes. */
export const validateCommand: Command = {
  name: 'validate',
  help: HELP,
  options: {
    spec: { type: 'string' },
  },

  async run(values: OptionValues, positionals: string[], context: CommandContext): Promise<number> {
    if (positionals.length > 1) throw new UsageError(`one spec at a time: got ${positionals.length} files (${positionals.join(', ')})`, 'validate');
    if (positionals.length && values.spec !== undefined) {
      throw new UsageError(`the spec is named twice ('${positionals[0]}' and --spec ${values.spec}): give FILE or --spec FILE`, 'validate');
    }
    const specPath = specPathOf({ spec: positionals[0] ?? values.spec }, context, 'validate');
    // A PlatformSpecError lists every problem; main.ts prints it and exits 1.
    const spec = PlatformSpecLoader.fromFile(specPath);
    const platforms = Platform.resolveEnvironments(spec, { account: spec.aws.account ?? PLACEHOLDER_ACCOUNT });
    const known = (platform: ResolvedPlatform) => platform.account !== PLACEHOLDER_ACCOUNT;
    const where = (platform: ResolvedPlatform) => (known(platform) ? `${platform.region}, account ${platform.account}` : platform.region);
    const [first] = platforms;
    const apps = counted(first.apps.map((app) => app.name), 'app');
    if (platforms.length === 1) {
      context.out(`${specPath} is valid: platform ${first.name} in ${where(first)}; ${apps}; ${counted(stackIds(first), 'stack')}\n`);
    } else {
      context.out(`${specPath} is valid: platform ${first.name}; ${apps}; ${platforms.length} environments:\n`);
      for (const platform of platforms) {
        const hub = platform.argocd.hub;
        const role = [
          platform.promotedFrom ? `promoted from ${platform.promotedFrom}` : 'follows releases',
          ...(platform.images.holdsRepositories ? ['holds the images'] : []),
          ...(hub ? [platform.argocd.mode !== ArgoCdMode.SPOKE ? "the hub: its Argo CD manages every environment's cluster" : `managed by the Argo CD of ${hub.environment} (the hub)`] : []),
        ].join(', ');
        context.out(`  ${platform.environment}: ${where(platform)}; ${role}; ${counted(stackIds(platform), 'stack')}\n`);
      }
    }
    if (platforms.some((platform) => !known(platform))) {
      context.out('note: aws.account is not set; synth and deploy take the account from CDK_DEFAULT_ACCOUNT or AWS_ACCOUNT_ID, else from STS with your AWS credentials\n');
    }
    for (const warning of warnings(spec, platforms)) context.err(`warning: ${warning}\n`);
    return 0;
  },
};
