import 'reflect-metadata';
import fs from 'node:fs';
import { buildOpenApiDocument, OPENAPI_FILE, serialise } from './openapi-document.js';

/** `npm run openapi:generate`: rewrites the committed OpenAPI document from the code. */
const document = await buildOpenApiDocument();
fs.writeFileSync(OPENAPI_FILE, serialise(document));
console.log(`wrote ${OPENAPI_FILE} (${Object.keys(document.paths).length} paths)`);
process.exit(0);
