import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative } from 'path';
import type { Command } from '../lib/cli/command';
import { initCommand } from '../lib/cli/commands/init';
import { manifestsCommand } from '../lib/cli/commands/manifests';
import { synthCommand } from '../lib/cli/commands/synth';
import { teardownCommand } from '../lib/cli/commands/teardown';
import { validateCommand } from '../lib/cli/commands/validate';
import { UPSTREAM_VERSIONS } from '../lib/versions';

const repoPath = (...parts: string[]) => join(__dirname, '..', ...parts);

/**
 * The README and docs/ stay current with the code: every relative link resolves (the file, and for
 * `#anchor` a heading of it), every example is named, every CLI command and option is documented,
 * every field of the spec is in the reference, and every pinned upstream version is in the versions
 * table. Fast and in-process: it reads files and imports the CLI's command objects.
 */

const README = 'README.md';
const DOC_PAGES = readdirSync(repoPath('docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`).sort();
const PAGES = [README, ...DOC_PAGES];
const read = (file: string) => readFileSync(repoPath(file), 'utf8');

/** The text outside fenced code blocks: links and headings inside them are code, not Markdown. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/**
 * The anchors GitHub gives a page's headings: lowercased, punctuation other than `-` and `_` removed
 * (backticks included), each space a `-`; a repeated heading gets `-1`, `-2`, ... (GitHub's
 * github-slugger, which github.com uses for rendered Markdown).
 */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const base = heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every inline link target of a page, outside code: `[text](target)`. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

describe('links', () => {
  test('the docs pages exist, and the README links to each of them', () => {
    expect(DOC_PAGES).toEqual(expect.arrayContaining([
      'docs/spec-reference.md', 'docs/runbook.md', 'docs/delivery-modes.md', 'docs/library.md', 'docs/development.md',
      'docs/versions.md', 'docs/costs.md', 'docs/upgrading.md', 'docs/troubleshooting.md',
    ]));
    const linked = new Set(linkTargets(read(README)).map((t) => t.split('#')[0]));
    expect(DOC_PAGES.filter((page) => !linked.has(page))).toEqual([]);
  });

  test.each(PAGES)('every relative link of %s resolves: its file, and its heading for #anchor', (page) => {
    const broken: string[] = [];
    for (const target of linkTargets(read(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not this repository's
      const [path, anchor] = target.split('#');
      const file = path === '' ? page : relative(repoPath(), join(repoPath(), dirname(page), decodeURIComponent(path)));
      if (file.startsWith('..') || !existsSync(repoPath(file))) {
        broken.push(`${target}: no file ${file}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!file.endsWith('.md') || statSync(repoPath(file)).isDirectory()) {
        broken.push(`${target}: an anchor into ${file}, which is not a Markdown page`);
      } else if (!headingAnchors(read(file)).has(anchor)) {
        broken.push(`${target}: ${file} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('the anchor rules are GitHub\'s: backticks, colons, parentheses and dots go; repeats are numbered', () => {
    const anchors = headingAnchors('# A\n## One Argo CD for every environment (`argocd.hub`)\n### 4. Teardown\n## `init`: a repo\n## A\n```\n# not a heading\n```\n');
    expect([...anchors]).toEqual(['a', 'one-argo-cd-for-every-environment-argocdhub', '4-teardown', 'init-a-repo', 'a-1']);
  });
});

/** Every file under a directory of the repository, recursively, as repository paths. */
function filesUnder(dir: string): string[] {
  return readdirSync(repoPath(dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('pointers into docs/ from the code and the examples', () => {
  // The npm tarball holds build/, .jsii, API.md and platform.schema.json (package.json `files`, plus
  // the README npm always adds): not docs/. A message a user of the package reads names a page by its
  // address on GitHub, from package.json's `repository`; a comment names the repository path.
  const repository = JSON.parse(read('package.json')).repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  const blob = `${repository}/blob/main/`;
  const sources = [...filesUnder('lib'), ...filesUnder('examples'), ...filesUnder('bin')].filter((f) => /\.(ts|ya?ml)$/.test(f)).sort();
  const pointers = sources.flatMap((file) => read(file).split('\n').flatMap((line, i) =>
    [...line.matchAll(/((?:\.\.\/)*)docs\/([\w-]+\.md)(?:#([\w-]+))?/g)].map((m) => ({
      where: `${file}:${i + 1}`, file, line, index: m.index!, up: m[1], page: `docs/${m[2]}`, anchor: m[3],
    }))));

  test('there are pointers to check (the scan finds the teardown\'s, init\'s and the examples\')', () => {
    expect(pointers.map((p) => p.file)).toEqual(expect.arrayContaining(['lib/ops/teardown.ts', 'lib/cli/platform-repository.ts', 'examples/sandbox/platform.yaml']));
  });

  test('every docs/<page>.md#anchor named in lib/, examples/ and bin/ resolves: the page, and its heading', () => {
    const broken = pointers.filter((p) => {
      if (!existsSync(repoPath(p.page))) return true;
      return p.anchor !== undefined && !headingAnchors(read(p.page)).has(p.anchor);
    }).map((p) => `${p.where}: ${p.page}${p.anchor ? `#${p.anchor}` : ''}`);
    expect(broken).toEqual([]);
  });

  test('in code, a pointer outside a comment is the page\'s address on GitHub; in an example, a path relative to it', () => {
    const comment = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);
    const wrong = pointers.filter((p) => {
      if (p.file.startsWith('examples/')) return relative(repoPath(), join(repoPath(), dirname(p.file), p.up, p.page)) !== p.page;
      if (comment(p.line)) return p.up !== '';
      return !p.line.slice(0, p.index).endsWith(blob);
    }).map((p) => `${p.where}: ${p.line.trim()}`);
    expect(wrong).toEqual([]);
  });

  test('no message or comment sends the reader to a section of the README (the sections moved to docs/)', () => {
    const stale = sources.flatMap((file) => read(file).split('\n').map((line, i) => ({ where: `${file}:${i + 1}`, line })))
      .filter(({ line }) => /\bREADME(?:'s\b|, ")/.test(line)).map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(stale).toEqual([]);
  });
});

describe('examples', () => {
  const examples = readdirSync(repoPath('examples')).filter((d) => statSync(repoPath('examples', d)).isDirectory()).sort();

  test('there are examples to check', () => {
    expect(examples).toEqual(expect.arrayContaining(['sandbox', 'managed-argocd', 'two-environments', 'hub-and-spokes', 'consumer']));
  });

  test.each(examples)('examples/%s is named in the README, with a link that resolves', (example) => {
    const targets = linkTargets(read(README)).filter((t) => t.startsWith(`examples/${example}/`) || t === `examples/${example}`);
    expect(targets.length).toBeGreaterThan(0);
  });
});

describe('the command line', () => {
  // Every command, as main.ts lists them; the first test keeps this list equal to lib/cli/commands/.
  const commands: Command[] = [initCommand, validateCommand, synthCommand, manifestsCommand, teardownCommand];
  const table = read(README).slice(read(README).indexOf('## Command line'));

  test('every file of lib/cli/commands/ is a command checked here (the file is named after the command)', () => {
    const files = readdirSync(repoPath('lib', 'cli', 'commands')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    expect(commands.map((c) => c.name).sort()).toEqual(files.sort());
  });

  test.each(commands.map((c) => [c.name, c] as const))('`%s` has a row in the README\'s command table naming each of its options', (name, command) => {
    const row = table.split('\n').find((line) => line.startsWith(`| \`${name}`));
    expect(row).toBeDefined();
    const missing = Object.keys(command.options).filter((option) => !row!.includes(`--${option}`));
    expect(missing).toEqual([]);
  });

  test.each(commands.map((c) => c.name))('`%s` is explained in docs/ beyond the table', (name) => {
    const explained = DOC_PAGES.some((page) => new RegExp(`cdk-eks-gitops ${name}\\b`).test(read(page)));
    expect(explained).toBe(true);
  });
});

/** Every property path of the JSON schema: `apps[].containers[].name`, `addons.externalDns.workloadIdentity`. */
function schemaPaths(): string[] {
  const schema = JSON.parse(read('platform.schema.json'));
  const definitions = { ...(schema.definitions ?? {}), ...(schema.$defs ?? {}) };
  const paths: string[] = [];
  const walk = (node: any, path: string) => {
    if (node?.$ref) node = definitions[node.$ref.replace(/^#\/(definitions|\$defs)\//, '')];
    if (!node || typeof node !== 'object') return;
    for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
      const childPath = path ? `${path}.${key}` : key;
      paths.push(childPath);
      walk(child, childPath);
    }
    if (node.items) walk(node.items, `${path}[]`);
    for (const k of ['anyOf', 'oneOf', 'allOf']) for (const branch of node[k] ?? []) walk(branch, path);
  };
  walk(schema, '');
  return paths;
}

/**
 * The fields the reference table documents. The first cell of a row names one or more fields:
 * a token with a `.` or `[]` is a whole path, a bare token after it is a sibling of the first
 * (`` `cluster.nodes.minSize` / `maxSize` `` is `cluster.nodes.minSize` and `cluster.nodes.maxSize`).
 * A row whose default says "the fields of `P`" documents every field under it as `P`'s.
 */
function documentedFields(reference: string): { fields: Set<string>; aliases: Map<string, string> } {
  const fields = new Set<string>();
  const aliases = new Map<string, string>();
  for (const line of prose(reference).split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    if (cells.length < 4 || !cells[1].startsWith('`')) continue;
    const tokens = [...cells[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const first = tokens[0];
    for (const token of tokens) {
      fields.add(/[.[]/.test(token) || token === first ? token : first.replace(/[^.]+$/, token));
    }
    const alias = cells[2].match(/^the fields of `([^`]+)`$/);
    if (alias) aliases.set(first, alias[1]);
  }
  return { fields, aliases };
}

describe('the spec reference (docs/spec-reference.md)', () => {
  const reference = read('docs/spec-reference.md').slice(read('docs/spec-reference.md').indexOf('### Reference'));
  const { fields, aliases } = documentedFields(reference);
  const paths = schemaPaths();

  /** A path is documented when its row is there, or its alias's, or (for an object) a field under it is. */
  const documented = (path: string): boolean => {
    if (fields.has(path)) return true;
    for (const [from, to] of aliases) {
      if (path.startsWith(`${from}.`) || path.startsWith(`${from}[]`)) return documented(to + path.slice(from.length));
    }
    return [...fields].some((f) => f.startsWith(`${path}.`) || f.startsWith(`${path}[]`));
  };

  test('the schema has the spec\'s fields (the walk finds them)', () => {
    expect(paths).toEqual(expect.arrayContaining(['name', 'apps[].containers[].resources.cpuRequest', 'environments[].apps[].migrationPermissions[].actions', 'addons.vaultPlugin.workloadIdentity']));
    expect(paths.length).toBeGreaterThan(150);
  });

  test('every field of platform.schema.json has a row', () => {
    expect(paths.filter((p) => !documented(p))).toEqual([]);
  });

  test('every row names a field the schema has', () => {
    const known = new Set(paths);
    expect([...fields].filter((f) => !known.has(f))).toEqual([]);
  });

  test('an alias names a field the reference documents', () => {
    for (const to of aliases.values()) expect(documented(to)).toBe(true);
  });
});

describe('docs/development.md, the layout', () => {
  test('names each file of lib/model/validate/ as a section, and no section without a file', () => {
    // The block between "in validate/:" and "; input.ts": names joined by ", " and "and", each
    // perhaps followed by a parenthesis saying what it holds.
    const layout = read('docs/development.md').replace(/\s+/g, ' ');
    const block = layout.match(/section of the spec in validate\/: (.*?); input\.ts/)![1];
    const named = block
      .replace(/\([^)]*\)/g, '')
      .replace(/ for what .*$/, '')
      .split(/,|\band\b/)
      .map((name) => name.trim())
      .filter(Boolean)
      .sort();
    const files = readdirSync(repoPath('lib/model/validate'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'input.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(named).toEqual(files);
  });
});

describe('docs/versions.md', () => {
  const versions = read('docs/versions.md');
  const lock = JSON.parse(read('package-lock.json')).packages;

  test.each(Object.entries(UPSTREAM_VERSIONS))('names %s at %s, as lib/versions.ts pins it', (key, version) => {
    const row = versions.split('\n').find((line) => line.includes(`\`${key}\``));
    expect(row).toContain(` ${version} `);
  });

  test.each(['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-28', '@aws-cdk/lambda-layer-kubectl-v35', 'cdk-nag', 'aws-cdk', 'cdk8s-cli', 'typescript', 'jsii'])(
    'names %s at the version package-lock.json installs',
    (name) => {
      const row = versions.split('\n').find((line) => line.toLowerCase().startsWith(`| ${name.toLowerCase()} `) || line.startsWith(`| ${name} (`));
      expect(row).toContain(`| ${lock[`node_modules/${name}`].version} |`);
    },
  );
});
