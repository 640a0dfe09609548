// The outputs of every example and every test fixture spec, compared with the hashes committed in
// test/output-hashes.json: a change meant to keep the output (one description of the spec, resolution
// in sections) must leave every file byte-identical, and one that changes output on purpose says so
// by rewriting the hashes (`npx tsx scripts/output-hashes.ts --write`) in the same commit.
import { sandboxPlatform } from './fixtures';
import { committedHashes, hashDifferences, HASHED_PLATFORMS, outputHashes, treeHashes } from '../scripts/output-hashes';

describe('the generated files of every example and fixture spec (test/output-hashes.json)', () => {
  const committed = committedHashes();

  test('the hashes cover every platform of the script, and no other', () => {
    expect(Object.keys(committed).sort()).toEqual(Object.keys(HASHED_PLATFORMS).sort());
  });

  test.each(Object.keys(HASHED_PLATFORMS))('%s: templates, manifest tree and workflows are byte-identical', (name) => {
    const actual = outputHashes(HASHED_PLATFORMS[name]());
    // Every kind of output is hashed: a platform without templates or workflows would hide a change.
    expect(Object.keys(actual).some((f) => f.startsWith('cfn/'))).toBe(true);
    expect(Object.keys(actual).some((f) => f.startsWith('manifests/'))).toBe(true);
    expect(Object.keys(actual).some((f) => f.startsWith('workflows/'))).toBe(true);
    expect(hashDifferences(committed[name], actual)).toEqual([]);
  });

  test('a changed file is named, as are a new one and one no longer generated', () => {
    const hashes = treeHashes([sandboxPlatform()]);
    const [first, second] = Object.keys(hashes);
    const changed = { ...hashes, [first]: '0'.repeat(64), 'manifests/gone.yaml': '1'.repeat(64) };
    delete changed[second];
    expect(hashDifferences(changed, hashes)).toEqual([`${first}: content changed`, 'manifests/gone.yaml: no longer generated', `${second}: new file`].sort((a, b) => a.localeCompare(b)));
  });
});
