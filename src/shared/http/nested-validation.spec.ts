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
  it('are required unless they say when they may be left out, and must be objects (not arrays)', async () => {
    const files = filesWithNestedValidation(path.resolve('src'));
    expect(files.length).toBeGreaterThan(0);
    const undeclared: string[] = [];
    const notObjects: string[] = [];
    for (const file of files) await import(file);
    // Every class the imports registered, exported or not (a controller's own body classes are not):
    // class-validator's registry, read as it is inside (its typings mark it private).
    const registry = (getMetadataStorage() as unknown as { validationMetadatas: Map<Function, ValidationMetadata[]> }).validationMetadatas;
    expect(registry).toBeInstanceOf(Map);
    for (const [target, metadata] of registry) {
      const byProperty = new Map<string, ValidationMetadata[]>();
      for (const m of metadata) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
      for (const [property, rules] of byProperty) {
        const types = new Set(rules.map((m) => m.type));
        const name = `${target.name}.${property}`;
        if (types.has('nestedValidation') && !types.has('isDefined') && !types.has('conditionalValidation')) undeclared.push(name);
        // @ValidateNested validates an array's elements: an array where one object is expected passed unchecked.
        if (rules.some((m) => m.type === 'nestedValidation' && !m.each) && !rules.some((m) => m.name === 'isObject')) notObjects.push(name);
      }
    }
    expect(undeclared).toEqual([]);
    expect(notObjects).toEqual([]);
  });
});
