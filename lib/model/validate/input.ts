// Validation, what every section's checks read and how they report. Each section of the spec has its
// checks in a file of this folder (named like its resolver in resolve/ where the section is the
// same); lib/model/validate.ts runs them, in its lists of checks, on the resolved platform.
import type { PlatformLock } from '../platform-lock';
import type { PlatformAddon, ResolvedApp, ResolvedPlatform } from '../resolved';
import type { AppSpec, EnvironmentSpec, PlatformSpec } from '../types';

/** Reports one problem at a field path of the spec. */
export type AddProblem = (path: string, message: string) => void;

/**
 * The whole spec, for the rules across its environments that run before each environment is checked
 * on its own. Entries that failed their own rules are left out of it.
 */
export interface SpecInput {
  /** The spec, without the applications and environments left out (in `apps` and `environments`). */
  readonly spec: PlatformSpec;
  /** Its applications, each with its index in the spec's `apps`. */
  readonly apps: readonly { readonly app: AppSpec; readonly index: number }[];
  /** Its environments, each with its index in the spec's `environments`. */
  readonly environments: readonly { readonly environment: EnvironmentSpec; readonly index: number }[];
  /** What each application resolves to in the first environment, where releases arrive. */
  readonly resolvedApps: readonly ResolvedApp[];
  /** Whether every application is in `apps` (none was left out for a problem of its own). */
  readonly allApps: boolean;
}

/** A rule of the whole spec. */
export type SpecCheck = (input: SpecInput, add: AddProblem) => void;

/** An application of one environment, as the spec gives it and as it resolves. */
export interface LocatedApp {
  /** The application as the environment's view of the spec gives it. */
  readonly spec: AppSpec;
  /** Its resolved form. */
  readonly app: ResolvedApp;
  /** Its path, `apps[<index>]`. */
  readonly path: string;
}

/**
 * One environment: its view of the spec and its resolution. Paths are the spec's own; validate.ts
 * moves a problem to the environment's override when the value came from there.
 */
export interface EnvironmentInput {
  /** The spec as the environment sees it (its overrides applied: see `environmentViews`). */
  readonly spec: PlatformSpec;
  /** The environment as resolved, with its add-ons' parts. */
  readonly platform: ResolvedPlatform;
  /** Its applications, in the order of `platform.apps`. */
  readonly apps: readonly LocatedApp[];
  /** The top-level fields given a stand-in for a problem of their own (`dns.domain`, ...): no rule blames them again. */
  readonly standIns: ReadonlySet<string>;
  /** The add-ons the platform uses. */
  readonly addons: readonly PlatformAddon[];
  /** The lock of the databases deployed (`platform.lock.json` beside the spec), when there is one. */
  readonly lock?: PlatformLock;
}

/** A rule of one environment. */
export type EnvironmentCheck = (input: EnvironmentInput, add: AddProblem) => void;

/** A rule of one application of one environment. */
export type AppCheck = (input: EnvironmentInput, located: LocatedApp, add: AddProblem) => void;

/** The rules of one application, run on each application of the environment in turn, all of one app before the next. */
export function eachApp(...checks: AppCheck[]): EnvironmentCheck {
  return (input, add) => {
    for (const located of input.apps) for (const check of checks) check(input, located, add);
  };
}

/** One environment as resolved, with where its fields are in the spec. */
export interface LocatedPlatform {
  /** The resolved environment. */
  readonly platform: ResolvedPlatform;
  /** Its name's path: `environments[<index>].name`, or `environment` without environments. */
  readonly environmentPath: string;
  /** The path of each of its apps (`apps[<index>]`), in the order of `platform.apps`. */
  readonly appPaths: string[];
}

/** A rule across every environment as resolved (names that must be unique across them, one partition). */
export type PlatformCheck = (located: readonly LocatedPlatform[], add: AddProblem) => void;
