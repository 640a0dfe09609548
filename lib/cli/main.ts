#!/usr/bin/env node
// The package's command line, `cdk-eks-gitops <command> [options]`. Each command is one file in
// commands/; adding one is adding it to COMMANDS.
import { parseArgs } from 'util';
import type { Command, CommandContext, OptionValues } from './command';
import { packageVersion } from './package-info';
import { UsageError } from './usage-error';

const PROGRAM = 'cdk-eks-gitops';

/** A command as the list of commands knows it: its name, its summary and how to load the rest. */
interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /**
   * Loads the command's module. Loaded only when the command runs (or shows its help): the
   * commands import aws-cdk-lib, cdk8s and the spec's validation, which `--help` and `--version`
   * have no use for.
   */
  readonly load: () => Command;
}

/** The commands, in the order `--help` lists them: the order of a platform's life. */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on use (see CommandEntry.load) */
const COMMANDS: CommandEntry[] = [
  {
    name: 'init',
    summary: 'create a platform repository: platform.yaml, cdk.json, cdk8s.yaml and entry points wired to this package',
    load: () => (require('./commands/init') as typeof import('./commands/init')).initCommand,
  },
  {
    name: 'validate',
    summary: 'check a platform spec offline: every problem at once, each naming its field',
    load: () => (require('./commands/validate') as typeof import('./commands/validate')).validateCommand,
  },
  {
    name: 'synth',
    summary: 'write the cloud assembly (cdk.out), the manifest tree (dist) and the workflows (ci.out) in one process',
    load: () => (require('./commands/synth') as typeof import('./commands/synth')).synthCommand,
  },
  {
    name: 'manifests',
    summary: 'write the manifest tree and the release workflows into checkouts, or --check them for drift',
    load: () => (require('./commands/manifests') as typeof import('./commands/manifests')).manifestsCommand,
  },
  {
    name: 'teardown',
    summary: "remove the ALBs, DNS records and workloads controllers created, before 'cdk destroy'",
    load: () => (require('./commands/teardown') as typeof import('./commands/teardown')).teardownCommand,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run '${PROGRAM} <command> --help' for its options. CDK_EKS_GITOPS_DEBUG=1 prints stack traces with errors.`,
    '',
  ].join('\n');
}

/**
 * Runs the command line `argv` (without the node and script paths).
 *
 * @returns the exit status: 0 done, 1 failed (or, for --check, drift found), 2 a usage mistake
 */
export async function main(argv: string[], context: CommandContext = processContext()): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      context.err(overview());
      return 2;
    }
    if (name === 'help' && rest.length) {
      // `help init` is `init --help`.
      if (rest.length > 1) throw new UsageError(`help takes one command: got ${rest.join(' ')}`);
      context.out(commandNamed(rest[0]).help);
      return 0;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      context.out(overview());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      context.out(`${packageVersion().version}\n`);
      return 0;
    }
    const command = commandNamed(name);
    const { values, positionals } = parse(command, rest);
    if (values.help) {
      context.out(command.help);
      return 0;
    }
    return await command.run(values, positionals, context);
  } catch (error) {
    return report(error as Error, context);
  }
}

/** The command `name` selects, loaded. */
function commandNamed(name: string): Command {
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new UsageError(`unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  return entry.load();
}

function parse(command: Command, args: string[]): { values: OptionValues; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as OptionValues, positionals: parsed.positionals };
  } catch (error) {
    // util.parseArgs says what is wrong in its own words (unknown option, missing value); keep them.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message, command.name);
  }
}

function report(error: Error, context: CommandContext): number {
  const debug = context.env.CDK_EKS_GITOPS_DEBUG === '1';
  if (error instanceof UsageError) {
    const help = error.command ? `${PROGRAM} ${error.command} --help` : `${PROGRAM} --help`;
    context.err(`${PROGRAM}: ${error.message}\nRun '${help}' for usage.\n${debug ? `${error.stack}\n` : ''}`);
    return 2;
  }
  context.err(`${debug ? error.stack ?? String(error) : error.message}\n`);
  return 1;
}

function processContext(): CommandContext {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  };
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
