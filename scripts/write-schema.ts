// Writes platform.schema.json from the spec's field description (lib/model/platform-shape.ts).
import { writeFileSync } from 'fs';
import { BUILT_IN_ADDONS } from '../lib/addons/built-in';
import { platformJsonSchema } from '../lib/model/json-schema';

writeFileSync('platform.schema.json', `${JSON.stringify(platformJsonSchema(BUILT_IN_ADDONS), null, 2)}\n`);
console.log('wrote platform.schema.json');
