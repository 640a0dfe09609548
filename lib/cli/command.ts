import type { ParseArgsConfig } from 'util';

/** The options of a command, in the form `util.parseArgs` reads. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** The values `util.parseArgs` found for a command's options. */
export type OptionValues = { [name: string]: string | boolean | (string | boolean)[] | undefined };

/** Where a command reads its environment and writes its output (the process's, except in tests). */
export interface CommandContext {
  /** Writes to standard output. */
  readonly out: (text: string) => void;
  /** Writes to standard error. */
  readonly err: (text: string) => void;
  /** Environment variables. */
  readonly env: { [name: string]: string | undefined };
}

/**
 * One subcommand of the CLI, in a file of its own under `lib/cli/commands/`. `main.ts` lists it
 * (with its one-line summary), loads it when it runs, parses its options, prints its help and
 * reports its errors; the command only does its work.
 */
export interface Command {
  /** The word that selects it: `cdk-eks-gitops <name>`. */
  readonly name: string;
  /** The full `--help` text: usage line, options, examples. */
  readonly help: string;
  /** Its options (`--help` is added by `main.ts`). */
  readonly options: CommandOptions;
  /**
   * Does the work.
   *
   * @returns the exit status
   * @throws UsageError for a mistake in the arguments (exit 2); any other Error is reported with exit 1
   */
  run(values: OptionValues, positionals: string[], context: CommandContext): Promise<number>;
}
