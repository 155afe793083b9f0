import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (where package.json is), in whichever checkout this module runs. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
