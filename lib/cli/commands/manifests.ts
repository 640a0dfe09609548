import { existsSync, statSync } from 'fs';
import { README_BESIDE } from '../../manifests/manifest-readme';
import { PlatformCheckouts } from '../../manifests/platform-checkouts';
import { CheckoutWriter } from '../../output/checkout-writer';
import { planDetails, planSummary } from '../../output/plan-report';
import { loadPlatform } from '../../platform/loader';
import type { Command, CommandContext, OptionValues } from '../command';
import { SPEC_OPTION_HELP, specPathOf } from '../spec-option';
import { UsageError } from '../usage-error';

const HELP = `Usage: cdk-eks-gitops manifests [--spec FILE] [--into DIR] [--app-repo NAME=PATH ...] [--dry-run | --check] [--force] [--adopt]

Writes what the platform spec generates into repository checkouts: the manifest tree into the
manifest repository (--into), and each application repository's release workflows into its
checkout (--app-repo). It never touches .git or any file it did not generate, keeps the image tags
that releases and the Image Updater move, prunes files it generated earlier and no longer generates
(recorded in ${CheckoutWriter.INDEX_FILE}), and writes all or nothing. A README.md of the manifest
repository's own (the one GitHub creates with a repository) is kept: the generated overview is then
written as ${README_BESIDE}.

Options:
${SPEC_OPTION_HELP}
  --into DIR            the manifest repository checkout
  --app-repo NAME=PATH  an application repository checkout; NAME is its apps[].ci.repository (repeatable)
  --dry-run             print the plan (added, changed, removed, kept) and write nothing
  --check               exit 1 with a unified diff when a checkout is not what the spec produces
  --force               overwrite generated files that were edited by hand
  --adopt               replace files at generated paths that the writer did not generate (README.md
                        included) with the generated ones
  -h, --help            show this help

Examples:
  npx cdk-eks-gitops manifests --into ../manifests
  npx cdk-eks-gitops manifests --into ../manifests --app-repo sandbox-app=../sandbox-app --dry-run
  npx cdk-eks-gitops manifests --spec ../platform/platform.yaml --into . --check
`;

/** `cdk-eks-gitops manifests`: the checkout writer, its plan and its drift check. */
export const manifestsCommand: Command = {
  name: 'manifests',
  help: HELP,
  options: {
    'spec': { type: 'string' },
    'into': { type: 'string' },
    'app-repo': { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    'check': { type: 'boolean' },
    'force': { type: 'boolean' },
    'adopt': { type: 'boolean' },
  },

  async run(values: OptionValues, positionals: string[], context: CommandContext): Promise<number> {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}': checkouts are named with --into DIR and --app-repo NAME=PATH`, 'manifests');
    const into = values.into as string | undefined;
    const appRepos = parseAppRepos((values['app-repo'] as string[] | undefined) ?? []);
    const dryRun = values['dry-run'] === true;
    const check = values.check === true;
    const force = values.force === true;
    const adopt = values.adopt === true;
    if (into === undefined && !Object.keys(appRepos).length) {
      throw new UsageError('nothing to write: give --into DIR (the manifest repository checkout) and/or --app-repo NAME=PATH', 'manifests');
    }
    if (into === '') throw new UsageError("--into '': expected the path of the manifest repository checkout", 'manifests');
    if (check && dryRun) throw new UsageError('--check and --dry-run do not go together: --check already writes nothing', 'manifests');
    if (check && force) throw new UsageError('--force has no effect with --check, which writes nothing', 'manifests');
    if (check && adopt) throw new UsageError('--adopt has no effect with --check, which writes nothing', 'manifests');

    if (into !== undefined) refuseFile(`--into ${into}`, into);
    for (const [name, path] of Object.entries(appRepos)) refuseFile(`--app-repo ${name}=${path}`, path);

    const specPath = specPathOf(values, context, 'manifests');
    const { platforms } = await loadPlatform(specPath);
    const repositories = [...new Set(platforms.flatMap((p) => p.apps.map((app) => app.ci.repository.name)))];
    for (const [name, path] of Object.entries(appRepos)) {
      if (!repositories.includes(name)) {
        throw new UsageError(`--app-repo ${name}=${path}: the spec has no application repository '${name}' (apps[].ci.repository: ${repositories.join(', ')})`, 'manifests');
      }
    }
    const writers = PlatformCheckouts.writers(platforms, { manifests: into, appRepos, force, adopt });

    if (check) {
      let drift = 0;
      for (const { label, argument, writer } of writers) {
        if (writer.upToDate()) {
          context.err(`${label}: up to date with ${specPath}\n`);
          continue;
        }
        drift++;
        context.out(writer.diff());
        const { added, changed, removed, conflicts } = writer.plan();
        const handEdited = conflicts.filter((c) => c.forceable).length;
        // The reason of each other conflict says what to do (move it, or --adopt a file not generated).
        const blocked = conflicts.filter((c) => !c.forceable).map((c) => `\n  - ${c.path}: ${c.reason}`).join('');
        const counts = `${added.length} to add, ${changed.length + handEdited} to change, ${removed.length} to remove`;
        const edits = handEdited ? `; ${handEdited} edited by hand: move the edits into the spec, or overwrite them with --force` : '';
        context.err(`${label}: not what ${specPath} produces (${counts}${edits})${blocked}; write it with: npx cdk-eks-gitops manifests --spec ${specPath} ${argument}\n`);
      }
      return drift ? 1 : 0;
    }

    if (dryRun) {
      for (const { label, kind, writer } of writers) context.out(planDetails(label, kind, writer.plan()));
      const conflicted = writers.filter((w) => w.writer.plan().conflicts.length);
      if (conflicted.length) {
        const all = writers.flatMap((w) => w.writer.plan().conflicts);
        const remedies = [
          ...(all.some((c) => c.forceable) ? ['--force overwrites hand-edited ones'] : []),
          ...(all.some((c) => c.adoptable) ? ['--adopt replaces the ones it did not generate'] : []),
        ];
        context.err(`writing would fail: ${conflicted.map((w) => w.label).join(', ')} ${conflicted.length === 1 ? 'has files' : 'have files'} the writer refuses (listed as refuse)${remedies.map((r) => `; ${r}`).join('')}\n`);
        return 1;
      }
      return 0;
    }

    const plans = CheckoutWriter.applyAll(writers.map((w) => w.writer));
    writers.forEach(({ label }, i) => context.out(planSummary(label, plans[i])));
    return 0;
  },
};

/** A checkout option naming a file: a usage mistake (a checkout is a directory). */
function refuseFile(option: string, path: string): void {
  if (existsSync(path) && !statSync(path).isDirectory()) {
    throw new UsageError(`${option}: ${path} is a file, not a directory: name the repository's checkout`, 'manifests');
  }
}

/** `--app-repo NAME=PATH` values, by name. */
function parseAppRepos(values: string[]): { [name: string]: string } {
  const repos: { [name: string]: string } = {};
  for (const value of values) {
    const match = /^([^=]+)=(.+)$/.exec(value);
    if (!match) throw new UsageError(`--app-repo '${value}': expected NAME=PATH, NAME being an apps[].ci.repository of the spec`, 'manifests');
    const [, name, path] = match;
    if (repos[name] !== undefined) throw new UsageError(`--app-repo ${name} is given twice (${repos[name]} and ${path})`, 'manifests');
    repos[name] = path;
  }
  return repos;
}
