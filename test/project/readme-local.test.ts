/**
 * The generated README's "Run it locally" section tells how to seed the local table with the user's own items, for
 * one consumer and for several.
 */
import { synthFiles } from './helpers';

test.each([
  ['one consumer', { consumers: [{ name: 'audit' }] }, "the consumer's filters", 'the consumer receives'],
  ['two consumers', { consumers: [{ name: 'audit' }, { name: 'stats' }] }, "each consumer's filters", 'each consumer receives'],
])('%s: --seed and --seed-items are explained', (_, options, filters, receives) => {
  const readme = synthFiles(options)['README.md'] as string;

  expect(readme).toContain(`\`npx projen local -- --seed 20\` writes 20 sample changes shaped by the table and ${filters};`);
  expect(readme).toContain('`npx projen local -- --seed-items test/seed-items.json` writes your own items instead');
  expect(readme).toContain(`The seed line says how many of the changes ${receives} after its filters.`);
});
