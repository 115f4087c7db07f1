import * as fs from 'fs';
import * as path from 'path';
import Handlebars from 'handlebars';
import { commentText, propertyAccess, propertyKey, tsLiteral } from './ts-literal';

/** `templates/` at the package root: this file is in `src/project/render` in tests, `lib/project/render` when installed. */
export const TEMPLATES_DIR = path.join(__dirname, '..', '..', '..', 'templates');

const handlebars = Handlebars.create();

/**
 * Every free-text value of the table and consumer options (attribute names, filter values, environment, table names)
 * reaches generated TypeScript through these helpers, or through literals the view models print with
 * `tsLiteral`, `sampleLiteral`, `propertyKey` or `propertyAccess`: one escaping function, `tsString`, underneath.
 * `{{ts value}}` prints data as a literal (`{{ts value 4}}` when its line is indented by 4), `{{key name}}` an
 * object key, `{{access name}}` a property access, `{{comment text}}` text for a comment. Values printed bare are
 * validated to need no escape (consumer names are kebab-case, enum values fixed; the stack name is the npm package
 * name). The README's prose quotes filter values as JSON (view/readme-words.ts): Markdown, not code.
 */
handlebars.registerHelper('ts', (value: unknown, ...rest: unknown[]) => {
  const indent = rest.length > 1 && typeof rest[0] === 'number' ? rest[0] : 0;
  return tsLiteral(value, indent);
});
handlebars.registerHelper('key', (name: string) => propertyKey(name));
handlebars.registerHelper('access', (name: string) => propertyAccess(name));
handlebars.registerHelper('comment', (text: string) => commentText(String(text)));
const compiled = new Map<string, Handlebars.TemplateDelegate>();
let partialsRegistered = false;

/** `templates/partials/<name>.hbs`, included with `{{> name}}`: sections shared by, or split out of, templates. */
function registerPartials(): void {
  const dir = path.join(TEMPLATES_DIR, 'partials');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    handlebars.registerPartial(file.replace(/\.hbs$/, ''), fs.readFileSync(path.join(dir, file), 'utf-8'));
  }
  partialsRegistered = true;
}

/**
 * Renders `templates/<name>.hbs`. Strict mode turns a missing view-model field into an error naming it, instead of
 * an empty string in generated code; no escaping because the output is code, not HTML.
 */
export function renderTemplate(name: string, view: object): string {
  if (!partialsRegistered) registerPartials();
  let template = compiled.get(name);
  if (!template) {
    const source = fs.readFileSync(path.join(TEMPLATES_DIR, `${name}.hbs`), 'utf-8');
    template = handlebars.compile(source, { strict: true, noEscape: true });
    compiled.set(name, template);
  }
  return template(view);
}
