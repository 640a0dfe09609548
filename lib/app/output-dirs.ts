import { isAbsolute, relative, resolve, sep } from 'path';

/** A build output directory and how the user named it (a flag or a variable, and the path). */
export interface NamedOutput {
  /** How the user named it, e.g. `--manifests dist`. */
  readonly label: string;
  /** The directory. */
  readonly dir: string;
}

/** Whether `inner` is `outer` or lies under it. */
function contains(outer: string, inner: string): boolean {
  const path = relative(resolve(outer), resolve(inner));
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

/**
 * Why the outputs cannot be written together, or undefined when they can. Each is emptied before it
 * is written: one inside another, or two in one directory, would lose one tree to the other.
 */
export function overlappingOutputs(outputs: NamedOutput[]): string | undefined {
  for (const [i, a] of outputs.entries()) {
    for (const b of outputs.slice(i + 1)) {
      if (contains(a.dir, b.dir) || contains(b.dir, a.dir)) {
        const how = resolve(a.dir) === resolve(b.dir) ? 'name the same directory' : 'are one inside the other';
        return `${a.label} and ${b.label} ${how}: writing one would empty the other; give each output a directory of its own`;
      }
    }
  }
  return undefined;
}
