import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

/** Runs git in `dir` and returns its trimmed output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
}

/**
 * A fresh Git repository (`git init`) in a temporary directory, with `files` committed.
 *
 * Without files every such repository is the same (`git init`, then an empty first commit): it is
 * made once per test file and copied for each caller, a repository of its own, instead of three git
 * processes each time.
 */
export function gitCheckout(files: { [path: string]: string } = {}): string {
  if (Object.keys(files).length === 0) {
    emptyCheckout ??= newCheckout({});
    const dir = mkdtempSync(join(tmpdir(), 'checkout-'));
    cpSync(emptyCheckout, dir, { recursive: true });
    return dir;
  }
  return newCheckout(files);
}

let emptyCheckout: string | undefined;

function newCheckout(files: { [path: string]: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'checkout-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const [path, content] of Object.entries(files)) writeFile(dir, path, content);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'first commit');
  return dir;
}

/** Commits everything in the working tree. */
export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

export function writeFile(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

export function readFile(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/**
 * A hash of everything under `dir`, `.git` included: every path, its type, mode and content. Equal
 * hashes mean the tree is byte-for-byte the same.
 */
export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (path: string, rel: string) => {
    const stat = lstatSync(path);
    hash.update(`${rel}\0${stat.mode}\0`);
    if (stat.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (stat.isDirectory()) for (const entry of readdirSync(path).sort()) walk(join(path, entry), `${rel}/${entry}`);
    else hash.update(readFileSync(path));
    hash.update('\0');
  };
  walk(dir, '.');
  return hash.digest('hex');
}

/** Every file under `dir` (relative paths, sorted), `.git` left out. */
export function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((e) => {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) return path === '.git' ? [] : listFiles(dir, path);
      return [path];
    })
    .sort();
}
