// The package.json npm packs: npm runs this before `npm pack` and `npm publish` ("prepack": strip)
// and after ("postpack": restore). npm packs package.json as it is on disk, so the fields only a
// clone of this repository uses are taken out for the pack and put back after it: the scripts
// (projen's tasks, `npm test`...), jest's configuration, the dependency overrides and devEngines.
// devDependencies stay: `init` reads the versions the package is tested with from them.
// Plain JavaScript: it runs wherever the package is packed, before anything is compiled.
'use strict';
const { existsSync, readFileSync, renameSync, writeFileSync } = require('fs');
const { join } = require('path');

const MANIFEST = join(__dirname, '..', 'package.json');
const BACKUP = join(__dirname, '..', '.package.json.unpacked');
/** The fields a consumer of the package never reads. */
const CLONE_ONLY = ['scripts', 'jest', 'overrides', 'devEngines'];

const mode = process.argv[2];
if (mode === 'strip') {
  let text = readFileSync(MANIFEST, 'utf8');
  // A pack that died between the two steps left the stripped file and the backup: start from the backup.
  if (!JSON.parse(text).scripts && existsSync(BACKUP)) text = readFileSync(BACKUP, 'utf8');
  writeFileSync(BACKUP, text);
  const manifest = JSON.parse(text);
  for (const field of CLONE_ONLY) delete manifest[field];
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (mode === 'restore') {
  if (existsSync(BACKUP)) renameSync(BACKUP, MANIFEST);
} else {
  console.error('usage: node scripts/package-manifest.js strip|restore');
  process.exit(2);
}
