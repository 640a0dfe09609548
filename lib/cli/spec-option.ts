import { existsSync } from 'fs';
import type { CommandContext, OptionValues } from './command';
import { UsageError } from './usage-error';
import { DEFAULT_PLATFORM_SPEC } from '../app/app-options';

/** The spec read when neither --spec nor PLATFORM_SPEC names one. */
export const DEFAULT_SPEC = DEFAULT_PLATFORM_SPEC;

/** The help line of the `--spec` option, the same for every command. */
export const SPEC_OPTION_HELP = `  --spec FILE           the platform spec (default: $PLATFORM_SPEC, else ${DEFAULT_SPEC})`;

/**
 * The spec a command reads: `--spec`, else `PLATFORM_SPEC`, else `platform.yaml` in the working
 * directory, which must then exist (a missing named file is the loader's to report).
 */
export function specPathOf(values: OptionValues, context: CommandContext, command: string): string {
  const fromEnv = context.env.PLATFORM_SPEC || undefined;
  const specPath = (values.spec as string | undefined) ?? fromEnv ?? DEFAULT_SPEC;
  if (values.spec === undefined && fromEnv === undefined && !existsSync(specPath)) {
    throw new UsageError(`no spec: ${DEFAULT_SPEC} does not exist here; name the spec with --spec FILE (or PLATFORM_SPEC=FILE)`, command);
  }
  return specPath;
}
