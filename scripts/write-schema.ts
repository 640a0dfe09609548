// Writes platform.schema.json from the spec's field description (lib/model/platform-shape.ts).
import { writeFileSync } from 'fs';
import { platformJsonSchema } from '../lib/model/json-schema';

writeFileSync('platform.schema.json', `${JSON.stringify(platformJsonSchema(), null, 2)}\n`);
console.log('wrote platform.schema.json');
