/** `npm run generate-api-key`: prints a fresh random API key (24 alphanumeric characters) on stdout. */
import { generateApiKey } from './api-key.js';

process.stdout.write(`${generateApiKey()}\n`);
