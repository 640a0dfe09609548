// Writes the files generated from the spec's description (lib/model/platform-shape.ts):
// platform.schema.json, lib/model/types.ts and the reference table of docs/spec-reference.md.
import { writeFileSync } from 'fs';
import { GENERATED_SPEC_FILES } from './spec-files';

for (const { path, content } of GENERATED_SPEC_FILES) {
  writeFileSync(path, content());
  console.log(`wrote ${path}`);
}
