import 'reflect-metadata';
import fs from 'node:fs';
import { buildOpenApiDocument, openApiFile, PLANES, serialise } from './openapi-document.js';

/** `npm run openapi:generate`: rewrites the committed OpenAPI documents from the code. */
for (const plane of PLANES) {
  const document = await buildOpenApiDocument(plane);
  fs.writeFileSync(openApiFile(plane), serialise(document));
  console.log(`wrote ${openApiFile(plane)} (${Object.keys(document.paths).length} paths)`);
}
process.exit(0);
