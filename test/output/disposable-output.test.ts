import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DisposableOutput } from '../../lib/output/disposable-output';
import { gitCheckout } from '../support/git-checkout';

describe('DisposableOutput', () => {
  test('empties the directory, then writes every file, making each directory the files need', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'disposable-')), 'dist');
    DisposableOutput.write(outdir, [{ path: 'stale.yaml', content: 'old\n' }]);
    const files = [
      { path: 'apps/a/base/workload.yaml', content: 'a: 1\n' },
      { path: 'apps/a/base/kustomization.yaml', content: 'b: 2\n' },
      { path: 'apps/a/overlays/dev/ingress.yaml', content: 'c: 3\n' },
      { path: 'apps/b/base/workload.yaml', content: 'd: 4\n' },
      { path: 'README.md', content: '# tree\n' },
    ];
    expect(DisposableOutput.write(outdir, files)).toEqual(files.map((f) => join(outdir, f.path)));
    for (const f of files) expect(readFileSync(join(outdir, f.path), 'utf8')).toBe(f.content);
    expect(existsSync(join(outdir, 'stale.yaml'))).toBe(false);
  });

  test('refuses a path that is not relative with / separators, and a file where a directory must be', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'disposable-'));
    expect(() => DisposableOutput.write(outdir, [{ path: 'a/../b', content: '' }])).toThrow("DisposableOutput: path 'a/../b' has an empty, . or .. segment");
    expect(() => DisposableOutput.write(outdir, [{ path: 'a', content: '' }, { path: 'a/b', content: '' }])).toThrow(/EEXIST|ENOTDIR/);
  });

  test('refuses to empty a checkout', () => {
    const checkout = gitCheckout({ 'kept.txt': 'mine\n' });
    expect(() => DisposableOutput.write(checkout, [])).toThrow(`${checkout} is a checkout, not a build output`);
    expect(readFileSync(join(checkout, 'kept.txt'), 'utf8')).toBe('mine\n');
  });
});
