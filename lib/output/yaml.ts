import { stringify } from 'yaml';

/** How the manifests are committed: no line folding (long annotations stay on one line). */
const OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

/** YAML as the manifests are committed: no line folding (long annotations stay on one line). */
export function toYaml(value: unknown): string {
  return fastYaml(value) ?? stringify(value, OPTIONS);
}

/** Several documents in one file. */
export function toYamlDocuments(values: unknown[]): string {
  return values.map(toYaml).join('---\n');
}

/** Thrown inside the fast writer for a value it leaves to the yaml library. */
const UNSUPPORTED = new Error('left to the yaml library');

/**
 * What the yaml library writes for a key and for a string value, by string: a tree of hundreds of
 * applications repeats the same keys and most values, and the library builds a document of nodes
 * for every object before it writes a line.
 */
const keyTexts = new Map<string, string>();
const stringTexts = new Map<string, string>();
/** Block scalars and the like, by depth and string (a map of their own: no plain string can take one's key). */
const placedTexts = new Map<string, string>();

/** Past this many strings a cache starts again: a process that writes many trees keeps it bounded. */
const CACHE_LIMIT = 100_000;

function remember(cache: Map<string, string>, value: string, text: string): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(value, text);
}

/**
 * What `stringify(value, OPTIONS)` writes, without building the library's document, or undefined
 * for a value the fast writer does not take on: it writes the block maps and sequences of plain
 * data (objects, arrays, strings, finite numbers, booleans, null) itself and asks the library how
 * to write each distinct key and string. What the library writes for a scalar depends on where it is
 * only for a multi-line string (a block scalar, indented where it is) and a string that starts like
 * a document marker (`%`, `---`, `...`); a document with one, an empty collection at its root, or
 * anything else (`undefined`, a class instance, a yaml node) is written by the library itself.
 */
function fastYaml(value: unknown): string | undefined {
  try {
    if (Array.isArray(value) && value.length > 0) return `${seq(value, '')}\n`;
    if (isPlainObject(value) && Object.keys(value).length > 0) return `${map(value, '')}\n`;
    return undefined;
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A block map's lines at `indent`, the first one included. */
function map(value: Record<string, unknown>, indent: string): string {
  let out = '';
  const inner = `${indent}  `;
  for (const key of Object.keys(value)) {
    const item = value[key];
    out += `${out === '' ? '' : '\n'}${indent}${keyText(key)}:`;
    if (Array.isArray(item)) out += item.length === 0 ? ' []' : `\n${seq(item, inner)}`;
    else if (isPlainObject(item)) out += Object.keys(item).length === 0 ? ' {}' : `\n${map(item, inner)}`;
    else out += ` ${scalarText(item, inner)}`;
  }
  return out;
}

/** A block sequence's lines at `indent`, the first one included. */
function seq(value: unknown[], indent: string): string {
  let out = '';
  const inner = `${indent}  `;
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) throw UNSUPPORTED;
    const item = value[i];
    out += `${out === '' ? '' : '\n'}${indent}- `;
    // A collection's first line follows the dash, the rest are indented under it.
    if (Array.isArray(item)) out += item.length === 0 ? '[]' : seq(item, inner).slice(inner.length);
    else if (isPlainObject(item)) out += Object.keys(item).length === 0 ? '{}' : map(item, inner).slice(inner.length);
    else out += scalarText(item, inner);
  }
  return out;
}

/** A scalar's text, for a place whose nested lines (a block scalar's) are at `indent`. */
function scalarText(value: unknown, indent: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return PLACE_DEPENDENT.test(value) ? placedStringText(value, indent) : stringText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // The library writes a finite number as JSON does, but for -0 (which JSON writes as 0).
      if (!Number.isFinite(value) || Object.is(value, -0)) throw UNSUPPORTED;
      return JSON.stringify(value);
    default:
      throw UNSUPPORTED;
  }
}

/**
 * Where the library writes a string by its place in the document: a multi-line string is a block
 * scalar (or a folded quoted one) whose lines are indented where it is, and a string that starts a
 * line like a document marker (`%`, `---`, `...`) is written differently at the root.
 */
const PLACE_DEPENDENT = /\n|^(%|---|\.\.\.)/m;

/** A string whose text is the same anywhere in the document. */
function stringText(value: string): string {
  let text = stringTexts.get(value);
  if (text === undefined) {
    const written = stringify(value, OPTIONS);
    text = written.slice(0, -1);
    if (!written.endsWith('\n') || text.includes('\n')) throw UNSUPPORTED;
    remember(stringTexts, value, text);
  }
  return text;
}

/**
 * A string whose text depends on its place, for a place whose nested lines are at `indent`: what the
 * library writes for it as the value of a map that deep, where the nested lines are indented the
 * same. A block scalar that keeps its final line breaks (`|+`) also changes how the document ends,
 * so it is left to the library.
 */
function placedStringText(value: string, indent: string): string {
  const cacheKey = `${indent.length}\0${value}`;
  let text = placedTexts.get(cacheKey);
  if (text === undefined) {
    const end = /[\t\n ]*$/.exec(value)![0];
    const newline = end.indexOf('\n');
    if (newline !== -1 && (end === value || newline !== end.length - 1)) throw UNSUPPORTED;
    const depth = indent.length / 2;
    let document: unknown = { k: value };
    let prefix = `${'  '.repeat(depth - 1)}k: `;
    for (let level = depth - 2; level >= 0; level--) {
      document = { k: document };
      prefix = `${'  '.repeat(level)}k:\n${prefix}`;
    }
    const written = stringify(document, OPTIONS);
    if (!written.startsWith(prefix) || !written.endsWith('\n')) throw UNSUPPORTED;
    text = written.slice(prefix.length, -1);
    remember(placedTexts, cacheKey, text);
  }
  return text;
}

function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    // A long or multi-line key is written as an explicit key (`? key`).
    if (PLACE_DEPENDENT.test(key) || key.length > 1000) throw UNSUPPORTED;
    const written = stringify({ [key]: 0 }, OPTIONS);
    text = written.slice(0, -': 0\n'.length);
    if (!written.endsWith(': 0\n') || text.includes('\n')) throw UNSUPPORTED;
    remember(keyTexts, key, text);
  }
  return text;
}
