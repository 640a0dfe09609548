import { existsSync, statSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly, SynthesisMessageLevel } from 'aws-cdk-lib/cx-api';
import { NAG_CONTEXT, nagEnabled, PlatformCdkApp } from '../../app/cdk-app';
import { cdkContext } from '../../app/cdk-context';
import { DEFAULT_MANIFESTS_DIR, DEFAULT_WORKFLOWS_DIR, platformTrees, writePlatformTrees } from '../../app/manifests-app';
import { overlappingOutputs } from '../../app/output-dirs';
import { useBaselineWasmCompiler } from '../../app/validation-engine';
import { synthValidatingInWorker } from '../../app/validation-worker';
import { AccountSource } from '../../model/account';
import { stackIds } from '../../model/naming';
import type { ResolvedPlatform } from '../../model/resolved';
import { CheckoutWriter } from '../../output/checkout-writer';
import { DisposableOutput } from '../../output/disposable-output';
import { loadPlatform } from '../../platform/loader';
import { writeLockBeside } from '../../platform/lock-file';
import type { Command, CommandContext, OptionValues } from '../command';
import { SPEC_OPTION_HELP, specPathOf } from '../spec-option';
import { UsageError } from '../usage-error';

/** The CDK CLI's default output directory, the one `cdk.json` of a platform repository names. */
const DEFAULT_CDK_OUT = 'cdk.out';

const HELP = `Usage: cdk-eks-gitops synth [--spec FILE] [--out DIR] [--manifests DIR] [--workflows DIR] [--no-nag]

Synthesizes both sides of the platform in one process, the spec loaded and the account resolved
once: the CloudFormation cloud assembly (what 'npx cdk synth' writes, with the context of cdk.json
in the working directory), the manifest tree and the application repositories' release workflows
(what 'npx cdk8s synth' writes). Every stack is checked by cdk-nag's AwsSolutions pack, whose
findings fail the synth. Nothing is written when the spec has a problem or an output is a checkout
(a directory holding .git), and the manifest tree and the workflows only when the stacks
synthesized cleanly. With databases (apps[].database) it writes platform.lock.json beside the spec
(<name>.lock.json for <name>.yaml): commit it, validate refuses a change that would replace one.

The cloud assembly is what the CDK CLI deploys: npx cdk deploy --app ${DEFAULT_CDK_OUT} --all. The
manifest tree and the workflows are build outputs, emptied first: write a checkout with
'cdk-eks-gitops manifests --into DIR'.

Options:
${SPEC_OPTION_HELP}
  --out DIR             the cloud assembly (default: ${DEFAULT_CDK_OUT})
  --manifests DIR       the manifest tree (default: ${DEFAULT_MANIFESTS_DIR})
  --workflows DIR       the release workflows, one directory per application repository (default: ${DEFAULT_WORKFLOWS_DIR})
  --no-nag              skip cdk-nag (as -c nag=false does for cdk synth)
  -h, --help            show this help

Examples:
  npx cdk-eks-gitops synth
  npx cdk-eks-gitops synth --spec platforms/staging.yaml --out cdk.out.staging --manifests dist.staging --workflows ci.out.staging
  npx cdk-eks-gitops synth && npx cdk deploy --app ${DEFAULT_CDK_OUT} --all
`;

/** `cdk-eks-gitops synth`: the CDK app and the manifests in one process. */
export const synthCommand: Command = {
  name: 'synth',
  help: HELP,
  options: {
    'spec': { type: 'string' },
    'out': { type: 'string' },
    'manifests': { type: 'string' },
    'workflows': { type: 'string' },
    'no-nag': { type: 'boolean' },
  },

  async run(values: OptionValues, positionals: string[], context: CommandContext): Promise<number> {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}': name the spec with --spec FILE`, 'synth');
    const out = directoryOption(values, 'out', DEFAULT_CDK_OUT);
    const manifests = directoryOption(values, 'manifests', DEFAULT_MANIFESTS_DIR);
    const workflows = directoryOption(values, 'workflows', DEFAULT_WORKFLOWS_DIR);
    const overlap = overlappingOutputs([
      { label: `--out ${out}`, dir: out },
      { label: `--manifests ${manifests}`, dir: manifests },
      { label: `--workflows ${workflows}`, dir: workflows },
    ]);
    if (overlap) throw new UsageError(overlap, 'synth');
    refuseOutput('out', out, `the cloud assembly (templates and assets, tens of megabytes) is a build output; give --out a directory of its own (default: ${DEFAULT_CDK_OUT})`);
    refuseOutput('manifests', manifests, `synth empties it before writing the tree; write a checkout with: npx cdk-eks-gitops manifests --into ${manifests}`);
    refuseOutput(
      'workflows',
      workflows,
      `synth empties it before writing the workflows; write an application repository's checkout with: npx cdk-eks-gitops manifests --app-repo NAME=${workflows} (NAME: its apps[].ci.repository)`,
    );
    const specPath = specPathOf(values, context, 'synth');

    // Everything that can refuse runs before anything is written: the spec, the account, the
    // output directories, the manifest tree and the workflows (built in memory), the context.
    const loaded = await loadPlatform(specPath);
    const { account } = loaded;
    const [platform] = loaded.platforms;
    DisposableOutput.refuseCheckout(manifests);
    DisposableOutput.refuseCheckout(workflows);
    const trees = platformTrees(loaded.platforms);
    const cdk = cdkContext('.');
    const nag = values['no-nag'] !== true && nagEnabled(cdk.values[NAG_CONTEXT]);

    const app = new App({ outdir: out, context: cdk.values });
    PlatformCdkApp.addEnvironments(app, { platforms: loaded.platforms, nag });
    // The CloudFormation validation of app.synth() is the largest part of its CPU: see validation-engine.ts.
    useBaselineWasmCompiler();
    const assembly = synthValidatingInWorker(() => app.synth());
    const errors = reportMessages(assembly, context);
    if (errors) {
      context.err(`${out}: the stacks have ${errors === 1 ? 'an error' : `${errors} errors`} (above); nothing else was written\n`);
      return 1;
    }
    writePlatformTrees(trees, manifests, workflows);
    const lock = writeLockBeside(specPath, loaded.platforms);

    const stacks = assembly.stacksRecursively.map((s) => s.stackName);
    const checks = nag ? "checked by cdk-nag's AwsSolutions pack" : `cdk-nag skipped (${values['no-nag'] === true ? '--no-nag' : `"${NAG_CONTEXT}": false in cdk.json`})`;
    context.out(
      (loaded.platforms.length === 1
        ? `${specPath}: platform ${platform.name}, account ${account.account} (from ${accountSource(account.source)}), region ${platform.region}\n`
        : `${specPath}: platform ${platform.name}, environments ${loaded.platforms.map((p) => `${p.environment} (account ${p.account}, ${p.region})`).join(', ')}\n`) +
        `  ${out}  cloud assembly: ${stacks.join(', ')}; ${checks}${cdk.fromCdkJson ? '' : '; no cdk.json here, so the feature flags init writes'}\n` +
        `  ${manifests}  manifest tree: ${trees.manifests.length} files\n` +
        `  ${workflows}  release workflows: ${trees.workflows.length} files\n` +
        (lock ? `  ${lock.path}  what the databases are created with (commit it: validate refuses a change that would replace one)\n` : '') +
        deployHint(loaded.platforms, out),
    );
    return 0;
  },
};

/**
 * How to deploy what was written: all stacks at once in one account; with several accounts, each
 * account's stacks with credentials for that account (one `cdk deploy` uses one set of credentials).
 */
function deployHint(platforms: ResolvedPlatform[], out: string): string {
  const byAccount = new Map<string, string[]>();
  for (const platform of platforms) byAccount.set(platform.account, [...(byAccount.get(platform.account) ?? []), ...stackIds(platform)]);
  if (byAccount.size === 1) return `Deploy the stacks with: npx cdk deploy --app ${out} --all\n`;
  return [
    'Deploy each account\'s stacks with credentials for that account (--profile, or its environment variables), one account at a time:',
    ...[...byAccount].map(([account, stacks]) => `  npx cdk deploy --app ${out} ${[...new Set(stacks)].join(' ')}   # account ${account}`),
    '',
  ].join('\n');
}

/** A directory option's value, or its default. */
function directoryOption(values: OptionValues, name: string, fallback: string): string {
  const value = values[name] as string | undefined;
  if (value === '') throw new UsageError(`--${name} '': expected a directory (default: ${fallback})`, 'synth');
  return value ?? fallback;
}

/**
 * Refuses an output directory that cannot be one, naming the option: a checkout (it holds `.git` or
 * the writer's index; a build output inside a checkout, like cdk.out in the platform repository, is
 * fine), or a path under a file.
 *
 * @throws UsageError saying what is wrong with `--NAME dir` and, for a checkout, `instead`
 */
function refuseOutput(name: string, dir: string, instead: string): void {
  if (existsSync(join(dir, '.git')) || existsSync(join(dir, CheckoutWriter.INDEX_FILE))) {
    throw new UsageError(`--${name} ${dir} is a checkout (it holds ${existsSync(join(dir, '.git')) ? '.git' : CheckoutWriter.INDEX_FILE}): ${instead}`, 'synth');
  }
  let existing = resolve(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new UsageError(`--${name} ${dir}: ${existing} is a file, not a directory; name a directory to write to`, 'synth');
  }
}

/** How the account was found, in words. */
function accountSource(source: AccountSource): string {
  return { [AccountSource.SPEC]: 'the spec', [AccountSource.ENVIRONMENT]: 'the environment', [AccountSource.STS]: 'STS' }[source];
}

/**
 * Prints what the constructs reported while synthesizing (`Annotations`) to standard error, one line
 * each, `warning: <construct path>: <message>` (the shape of `validate`'s warnings, the construct's
 * path where `validate` names a field): warnings say what to look at, errors fail the synth.
 *
 * @returns how many errors there were
 */
function reportMessages(assembly: CloudAssembly, context: CommandContext): number {
  let errors = 0;
  for (const stack of assembly.stacksRecursively) {
    for (const message of stack.messages) {
      if (message.level === SynthesisMessageLevel.ERROR) errors++;
      const data = typeof message.entry.data === 'string' ? message.entry.data : JSON.stringify(message.entry.data);
      context.err(`${message.level}: ${message.id.replace(/^\//, '')}: ${data}\n`);
    }
  }
  return errors;
}
