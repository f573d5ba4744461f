import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import fs from 'node:fs';
import path from 'node:path';

/** Every source file that declares nested validation (found, so that a new DTO is checked too). */
function filesWithNestedValidation(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesWithNestedValidation(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && fs.readFileSync(file, 'utf8').includes('@ValidateNested(') ? [file] : [];
  });
}

/**
 * class-validator skips `@ValidateNested()` when the property is absent: a required object left out
 * passed validation and reached the service as `undefined` (a registration without its dossier's
 * contacts was stored, then broke every list that showed it). So a nested property is either
 * `@IsDefined()` or says when it may be absent (`@IsOptional()`, `@ValidateIf()`).
 */
describe('nested objects in request bodies', () => {
  it('are required unless they say when they may be left out', async () => {
    const files = filesWithNestedValidation(path.resolve('src'));
    expect(files.length).toBeGreaterThan(0);
    const undeclared: string[] = [];
    for (const file of files) {
      const module = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== 'function') continue;
        const byProperty = new Map<string, ValidationMetadata[]>();
        for (const m of getMetadataStorage().getTargetValidationMetadatas(value, '', false, false)) {
          byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
        }
        for (const [property, metadata] of byProperty) {
          const types = new Set(metadata.map((m) => m.type));
          if (types.has('nestedValidation') && !types.has('isDefined') && !types.has('conditionalValidation')) undeclared.push(`${name}.${property}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
  });
});
