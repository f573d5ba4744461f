import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument, OPENAPI_FILE, serialise } from './openapi-document.js';

describe('committed OpenAPI document', () => {
  it('matches the code (run `npm run openapi:generate` after changing an endpoint or DTO)', async () => {
    const committed = fs.readFileSync(path.resolve(import.meta.dirname, '../..', OPENAPI_FILE), 'utf8');
    expect(serialise(await buildOpenApiDocument())).toBe(committed);
  });

  it('documents every contract path with the Vietnamese field labels', async () => {
    const document = await buildOpenApiDocument();
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
    const task = document.components!.schemas!.TaskResultInputDto as { properties: Record<string, { description: string }> };
    expect(task.properties.taskCode.description).toContain('Mã nhiệm vụ');
    expect(task.properties.result.description).toContain('Đã hoàn thành');
  });
});
