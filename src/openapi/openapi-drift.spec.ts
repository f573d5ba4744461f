import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument, openApiFile, PLANES, serialise } from './openapi-document.js';

describe('committed OpenAPI documents', () => {
  it.each(PLANES)('%s matches the code (run `npm run openapi:generate` after changing an endpoint or DTO)', async (plane) => {
    const committed = fs.readFileSync(path.resolve(import.meta.dirname, '../..', openApiFile(plane)), 'utf8');
    expect(serialise(await buildOpenApiDocument(plane))).toBe(committed);
  });

  it('documents every contract path with the Vietnamese field labels', async () => {
    const document = await buildOpenApiDocument('data-plane');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/oauth/token',
        '/api/v1/task-results/{taskCode}',
        '/api/v1/task-results/batch',
        '/api/v1/task-results',
        '/api/v1/kpi-results/{indicatorCode}/{period}',
        '/api/v1/kpi-results/batch',
        '/api/v1/kpi-results',
        '/api/v1/attachments',
        '/api/v1/attachments/{attachmentId}',
      ]),
    );
    expect(Object.keys(document.paths).some((p) => p.startsWith('/control'))).toBe(false);
    const task = document.components!.schemas!.TaskResultInputDto as { properties: Record<string, { description: string }> };
    expect(task.properties.taskCode.description).toContain('Mã nhiệm vụ');
    expect(task.properties.result.description).toContain('Đã hoàn thành');
  });
});
