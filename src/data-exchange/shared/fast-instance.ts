import { TransformationType, type ClassConstructor, type ClassTransformOptions, type TransformFnParams } from 'class-transformer';
import { defaultOptions } from 'class-transformer/cjs/constants/default-options.constant.js';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';

type TransformFn = (params: TransformFnParams) => unknown;

/**
 * What `plainToInstance(type, plain)` builds, without its per-key metadata searches. For a class
 * with no @Type, @Expose or @Exclude and an item that is flat (only the given keys; primitives and
 * arrays of primitives), class-transformer does no more than `new type()`, copy each array, and
 * run each key's @Transform functions with the same arguments: that is all this does. Any other
 * item gives undefined, and the caller takes the full path. Null when the class needs more.
 */
export function compileInstanceBuilder<T extends object>(type: ClassConstructor<T>, properties: Iterable<string>): ((plain: object) => T | undefined) | null {
  const storage = defaultMetadataStorage;
  if (storage.getStrategy(type) !== 'none' || storage.getExposedMetadatas(type).length || storage.getExcludedMetadatas(type).length) return null;
  const probe = new type() as Record<string, unknown>;
  const transforms = new Map<string, TransformFn[]>();
  for (const key of properties) {
    if (storage.findTypeMetadata(type, key)) return null;
    // Keys class-transformer never copies onto an instance: left to it.
    const descriptor = Object.getOwnPropertyDescriptor(type.prototype, key);
    if (key === '__proto__' || key === 'constructor' || (descriptor && !descriptor.set) || probe[key] instanceof Function) continue;
    // Without groups in the options, class-transformer drops transforms that name groups.
    const fns = storage
      .findTransformMetadatas(type, key, TransformationType.PLAIN_TO_CLASS)
      .filter((m) => !m.options || !m.options.groups || !m.options.groups.length)
      .map((m) => m.transformFn as TransformFn);
    transforms.set(key, fns);
  }
  const options: ClassTransformOptions = { ...defaultOptions };
  return (plain) => {
    if (Object.getPrototypeOf(plain) !== Object.prototype) return undefined;
    const instance = new type() as Record<string, unknown>;
    for (const key of Object.keys(plain)) {
      const fns = transforms.get(key);
      if (!fns) return undefined;
      let value = (plain as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        const copy: unknown[] = [];
        // forEach, as class-transformer: holes are skipped.
        for (let n = 0; n < value.length; n++) {
          if (!(n in value)) continue;
          if (!isPrimitive(value[n])) return undefined;
          copy.push(value[n]);
        }
        value = copy;
      } else if (!isPrimitive(value)) {
        return undefined;
      }
      for (const fn of fns) value = fn({ value, key, obj: plain, type: TransformationType.PLAIN_TO_CLASS, options });
      instance[key] = value;
    }
    return instance as T;
  };
}

/** Values class-transformer passes through unchanged when no type is declared. */
function isPrimitive(value: unknown): boolean {
  const t = typeof value;
  return value === null || t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined';
}
