import fs from 'node:fs';
import path from 'node:path';
import { needsLabels } from '../shared/i18n/enum-labels.vi.js';
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

  it.each(PLANES)('%s labels every value set in Vietnamese (x-enum-descriptions), as the guidance words it', async (plane) => {
    const document = await buildOpenApiDocument(plane);
    const unlabelled: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}/${i}`));
      if (!node || typeof node !== 'object') return;
      const object = node as Record<string, unknown>;
      if (Array.isArray(object.enum) && needsLabels(object.enum)) {
        const labels = object['x-enum-descriptions'] as string[] | undefined;
        if (labels?.length !== object.enum.length) unlabelled.push(`${where}: ${object.enum.join(', ')} (add them to src/shared/i18n/enum-labels.vi.ts)`);
      }
      for (const [key, value] of Object.entries(object)) visit(value, `${where}/${key}`);
    };
    visit(document, '');
    expect(unlabelled).toEqual([]);
    if (plane === 'data-plane') {
      const task = document.components!.schemas!.TaskResultDto as { properties: Record<string, { 'x-enum-descriptions'?: string[] }> };
      expect(task.properties.result['x-enum-descriptions']).toEqual(['Đã hoàn thành', 'Đang thực hiện', 'Chưa thực hiện']);
      expect(task.properties.deadlineStatus['x-enum-descriptions']).toEqual(['Đúng hạn', 'Sắp đến hạn', 'Quá hạn', 'Hoàn thành quá hạn']);
    }
  });
});
