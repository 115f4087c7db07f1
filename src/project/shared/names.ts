/** `order-audit` -> `OrderAudit`: class and type names of a consumer. */
export function pascalCase(kebab: string): string {
  return kebab.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());
}

/** `order-audit` -> `orderAudit`: variable and property names of a consumer. */
export function camelCase(kebab: string): string {
  const pascal = pascalCase(kebab);
  return pascal[0].toLowerCase() + pascal.slice(1);
}
