import 'reflect-metadata';
import { Expose, Transform, TransformationType, Type } from 'class-transformer';
import { defaultOptions } from 'class-transformer/cjs/constants/default-options.constant.js';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, IsOptional, IsString, ValidateIf, ValidationTypes } from 'class-validator';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KpiResultInputDto } from '../kpi-results/dto/kpi-result-input.dto.js';
import { TaskResultInputDto } from '../task-results/dto/task-result-input.dto.js';
import { compileInstanceBuilder } from './fast-instance.js';
import { compileValidityCheck } from './fast-validity.js';

/**
 * Issue 18.2: the validation fast path (validate-item.ts) reads library internals — class-
 * transformer's metadata storage by a deep import (fast-instance.ts), class-validator's metadata
 * storage methods (fast-validity.ts). bench/authority.ts measured that it still pays: server CPU
 * per pushed item 65 µs against 106 µs on the library path, push 1.17× faster (same run, quiet machine). The differential test
 * (validate-item.spec.ts) proves it answers as the libraries do; this one fails as soon as what it
 * reads moves, and keeps the internals confined to those two modules.
 */
const require = createRequire(import.meta.url);
const SRC = path.resolve(import.meta.dirname, '../..');

describe('library internals the validation fast path depends on', () => {
  it('runs against the library versions it was verified with (an upgrade must re-run validate-item.spec and bench/authority)', () => {
    expect(require('class-transformer/package.json').version).toBe('0.5.1');
    expect(require('class-validator/package.json').version).toBe('0.15.1');
  });

  it('class-transformer: the deep-imported storage is the one its decorators write to, with the methods fast-instance.ts calls', () => {
    class Probe {
      @Transform(({ value }) => String(value)) @Expose() a: string;
      @Type(() => Date) b: Date;
    }
    for (const method of ['getStrategy', 'getExposedMetadatas', 'getExcludedMetadatas', 'findTypeMetadata', 'findTransformMetadatas'] as const) {
      expect(typeof defaultMetadataStorage[method]).toBe('function');
    }
    expect(defaultMetadataStorage.getStrategy(Probe)).toBe('none');
    expect(defaultMetadataStorage.getExposedMetadatas(Probe).map((m) => m.propertyName)).toEqual(['a']);
    expect(defaultMetadataStorage.findTypeMetadata(Probe, 'b')).toBeDefined();
    const [transform] = defaultMetadataStorage.findTransformMetadatas(Probe, 'a', TransformationType.PLAIN_TO_CLASS);
    expect(transform.transformFn({ value: 1, key: 'a', obj: {}, type: TransformationType.PLAIN_TO_CLASS, options: {} })).toBe('1');
    expect(Object.keys(defaultOptions).sort()).toEqual(['enableCircularCheck', 'enableImplicitConversion', 'excludeExtraneousValues', 'excludePrefixes', 'exposeDefaultValues', 'exposeUnsetFields', 'groups', 'ignoreDecorators', 'strategy', 'targetMaps', 'version']);
  });

  it('class-validator: the metadata storage answers as fast-validity.ts reads it', () => {
    class Probe {
      @IsOptional() @IsString() a?: string;
      @ValidateIf(() => true) @IsString({ each: true }) b: string[];
    }
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(Probe, undefined as unknown as string, false, false, undefined);
    expect(metadatas.map((m) => [m.propertyName, m.type]).sort()).toEqual([
      ['a', ValidationTypes.CONDITIONAL_VALIDATION],
      ['a', ValidationTypes.CUSTOM_VALIDATION],
      ['b', ValidationTypes.CONDITIONAL_VALIDATION],
      ['b', ValidationTypes.CUSTOM_VALIDATION],
    ]);
    const grouped = storage.groupByPropertyName(metadatas);
    expect(Object.keys(grouped).sort()).toEqual(['a', 'b']);
    const custom = grouped.b.find((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)!;
    expect(custom.each).toBe(true);
    const [constraint] = storage.getTargetValidatorConstraints(custom.constraintCls);
    expect(typeof (constraint.instance as { validate: unknown }).validate).toBe('function');
    expect(constraint.async).toBe(false);
    // openapi/validation-constraints.ts reads the storage's private map of rules.
    expect((storage as unknown as { validationMetadatas: unknown }).validationMetadatas).toBeInstanceOf(Map);
  });

  it('compiles the fast path for both exchanged DTOs (a silent fall-back to the library would lose the speed unnoticed)', () => {
    for (const type of [TaskResultInputDto, KpiResultInputDto] as Array<new () => object>) {
      const check = compileValidityCheck(type);
      expect(check).not.toBeNull();
      expect(compileInstanceBuilder(type, check!.properties)).not.toBeNull();
    }
  });

  it('keeps the internals confined: only fast-instance.ts and fast-validity.ts read them, only validate-item.ts uses those', () => {
    const files = fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.d.ts'));
    const importing = (pattern: RegExp) => files.filter((f) => pattern.test(fs.readFileSync(path.join(SRC, f), 'utf8'))).map((f) => f.split(path.sep).join('/')).sort();
    expect(importing(/from 'class-transformer\/(cjs|types|esm5|esm2015)\//)).toEqual(['data-exchange/shared/fast-instance.ts']);
    expect(importing(/getTargetValidationMetadatas|getTargetValidatorConstraints|groupByPropertyName/)).toEqual(['data-exchange/shared/fast-validity.ts']);
    expect(importing(/from '\.\/fast-(instance|validity)\.js'/)).toEqual(['data-exchange/shared/validate-item.ts']);
  });
});
