// The one way a spec comes in. `PlatformSpecLoader` reads and validates a spec (a file, text, a parsed
// document or an object built in code) and says every problem at once; `loadPlatform` is what a
// program does with a spec file: load it, resolve its account, resolve each environment.
import { existsSync, readFileSync } from 'fs';
import { extname, join } from 'path';
import { parseDocument } from 'yaml';
import { Platform } from './platform';
import { BUILT_IN_ADDONS } from '../addons/built-in';
import { AccountResolver, AccountResolverOptions, ResolvedAccount } from '../model/account';
import { lockPathOf, parseLock, PlatformLock } from '../model/platform-lock';
import type { PlatformAddon, ResolvedPlatform } from '../model/resolved';
import { show, SpecProblem } from '../model/shape';
import type { PlatformSpec } from '../model/types';
import { validateSpec } from '../model/validate';

/** Most aliases a spec document may expand; a real spec needs a few, an alias bomb needs thousands. */
const MAX_ALIAS_COUNT = 100;

/**
 * A spec that failed validation. `problems` lists every problem found, each with the path of its
 * field; `message` lists them one per line, ready to print. (Not part of the jsii API: other
 * languages see a plain error with this message.)
 */
export class PlatformSpecError extends Error {
  /** The problems, in document order. */
  public readonly problems: SpecProblem[];

  /** Where the spec came from (a file path, or `(object)`). */
  public readonly source: string;

  constructor(source: string, problems: SpecProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${source}: ${count}\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'PlatformSpecError';
    this.problems = problems;
    this.source = source;
  }
}

/** Options of `PlatformSpecLoader`'s methods. */
export interface SpecLoadOptions {
  /**
   * The add-ons the platform uses: the spec's `addons` sections are checked against theirs, and
   * their rules run. A program's own add-ons come after the built-in ones: `[...PlatformAddons.BUILT_IN, MY_ADDON]`.
   * @default PlatformAddons.BUILT_IN
   * @jsii ignore
   */
  readonly addons?: readonly PlatformAddon[];
  /**
   * What the platform's databases were deployed with: a change that would replace one is refused.
   * @default - `fromFile` reads the lock beside the spec (`platform.lock.json` for `platform.yaml`), if there is one; the other methods use none
   * @jsii ignore
   */
  readonly lock?: PlatformLock;
}

/**
 * Loads a platform spec from YAML or JSON, or checks one built in code. Every problem is reported at
 * once, in a `PlatformSpecError`.
 */
export class PlatformSpecLoader {
  /**
   * Reads and validates a spec file (`.yaml`, `.yml` or `.json`).
   *
   * @throws PlatformSpecError when the file is missing, does not parse, or is not a valid spec
   */
  public static fromFile(path: string, options: SpecLoadOptions = {}): PlatformSpec {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? `it is a directory; name the spec file in it (${join(path, 'platform.yaml')}, say)`
            : code === 'EACCES'
              ? 'permission denied'
              : (e as Error).message;
      throw new PlatformSpecError(path, [{ path: '(file)', message: `cannot read the spec: ${reason}` }]);
    }
    return PlatformSpecLoader.fromText(text, path, { ...options, lock: options.lock ?? PlatformSpecLoader.lockBeside(path) });
  }

  /**
   * Parses and validates spec text. JSON is a subset of YAML, so one parser reads both.
   *
   * @param text the document
   * @param source name used in messages, e.g. the file path
   * @throws PlatformSpecError when the text does not parse or is not a valid spec
   */
  public static fromText(text: string, source: string = '(text)', options: SpecLoadOptions = {}): PlatformSpec {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      // One mistake, one problem: the parser's further errors follow from its first (a bad indent
      // is also "implicit keys on one line", ...). Its message repeats the position and ends with
      // a colon before the code frame; the line itself is quoted instead.
      const kind = extname(source) === '.json' ? 'JSON' : 'YAML';
      const [first] = document.errors;
      const position = first.linePos?.[0];
      const line = position ? text.split(/\r?\n/)[position.line - 1] : undefined;
      const said = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
      throw new PlatformSpecError(source, [
        {
          path: position ? `(line ${position.line}, column ${position.col})` : '(document)',
          message: `invalid ${kind}: ${said}${line?.trim() ? ` (in ${show(line)})` : ''}`,
        },
      ]);
    }
    if (document.contents === null) {
      throw new PlatformSpecError(source, [
        { path: '(document)', message: "the spec is empty (nothing but comments or blank lines); 'npx cdk-eks-gitops init' writes a commented starter spec" },
      ]);
    }
    let parsed: unknown;
    try {
      // Aliases are expanded here; yaml refuses a document whose aliases would blow up (a "billion laughs").
      parsed = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      throw new PlatformSpecError(source, [{ path: '(document)', message: `cannot read the document: ${(e as Error).message}` }]);
    }
    return PlatformSpecLoader.fromDocument(parsed, source, options);
  }

  /**
   * Validates a spec built in code. The type checks its shape where it is written; validation checks
   * what a type cannot: names, patterns, ranges and the rules between fields.
   *
   * @param spec the spec
   * @param source name used in messages
   * @throws PlatformSpecError when it is not a valid spec
   */
  public static fromObject(spec: PlatformSpec, source: string = '(object)', options: SpecLoadOptions = {}): PlatformSpec {
    return PlatformSpecLoader.fromDocument(spec, source, options);
  }

  /**
   * Validates a parsed document whose shape is not known yet (the result of `JSON.parse` or of a YAML
   * parser): its shape and values are checked, every problem reported at once.
   *
   * @param document the parsed document
   * @param source name used in messages, e.g. the file it came from
   * @throws PlatformSpecError when it is not a valid spec
   */
  public static fromDocument(document: any, source: string = '(document)', options: SpecLoadOptions = {}): PlatformSpec {
    const problems = validateSpec(document, options.addons ?? BUILT_IN_ADDONS, options.lock);
    if (problems.length > 0) throw new PlatformSpecError(source, problems);
    return document as PlatformSpec;
  }

  /** The lock beside a spec file, if there is one. */
  private static lockBeside(specPath: string): PlatformLock | undefined {
    const path = lockPathOf(specPath);
    if (!existsSync(path)) return undefined;
    try {
      return parseLock(readFileSync(path, 'utf8'), path);
    } catch (e) {
      throw new PlatformSpecError(path, [{ path: '(lock)', message: (e as Error).message }]);
    }
  }

  private constructor() {}
}

/** The spec both apps read when none is named. */
export const DEFAULT_SPEC_PATH = 'examples/sandbox/platform.yaml';

/** A platform loaded from a file, with its account resolved. */
export interface LoadedPlatform {
  /** The file the spec came from. */
  readonly specPath: string;
  /** The account of the environments the spec gives none, and where it came from. */
  readonly account: ResolvedAccount;
  /** Every environment, resolved, in the spec's order (one for a spec without `environments`). */
  readonly platforms: ResolvedPlatform[];
}

/**
 * Loads, validates and resolves a spec file: what the CDK and cdk8s apps and the CLI's `synth`,
 * `manifests` and `teardown` all do first.
 *
 * @throws PlatformSpecError or AccountResolutionError, whose messages say what to fix
 */
export async function loadPlatform(specPath: string, options: AccountResolverOptions & SpecLoadOptions = {}): Promise<LoadedPlatform> {
  const spec = PlatformSpecLoader.fromFile(specPath, { addons: options.addons });
  const account = await AccountResolver.resolve(spec, options);
  return { specPath, account, platforms: Platform.resolveEnvironments(spec, { account: account.account, addons: options.addons }) };
}
