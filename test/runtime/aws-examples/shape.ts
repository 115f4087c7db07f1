/**
 * A JSON value's shape: every field name with its JSON type ('string', 'number', 'boolean', 'null'), objects as
 * objects of shapes, arrays as the shape of their first element. Two values of the same shape differ only in data:
 * same field names, string vs object, null vs absent.
 */
export type Shape = string | { readonly [key: string]: Shape } | readonly Shape[];

export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    const out: Record<string, Shape> = {};
    for (const key of Object.keys(value as object).sort()) out[key] = shapeOf((value as Record<string, unknown>)[key]);
    return out;
  }
  return typeof value;
}
