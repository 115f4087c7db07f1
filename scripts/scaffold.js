#!/usr/bin/env node
// Scaffolds a consumer repository from this checkout and shows it working:
//   npm run scaffold -- <target-dir> [--no-build]
// It packs this package (what npm would publish), copies the tarball into the empty target folder (vendor/, so the
// new repository installs without this checkout: move or delete it and the repository still builds), runs
// `projen new --from ddb-stream-template@file:./vendor/<tarball>` there, then `npx projen build` (compile, lint,
// tests, cdk synth) and prints what the synthesized event source mapping looks like.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');
const { pack, ROOT } = require('./pack');
const { checkNodeVersion } = require('./node-version');

const USAGE = 'usage: npm run scaffold -- <target-dir> [--no-build]';

function fail(message) {
  process.stderr.write(`scaffold: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main() {
  checkNodeVersion();
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { 'no-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    fail(error.message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (parsed.positionals.length !== 1) fail(`expected one target directory, got ${parsed.positionals.length}`);
  const target = path.resolve(parsed.positionals[0]);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    fail(`target directory ${target} is not empty; give a new or empty folder so nothing of yours is overwritten`);
  }
  fs.mkdirSync(target, { recursive: true });

  const started = Date.now();
  const tarball = vendor(pack(), target);
  const projen = require.resolve('projen/bin/projen', { paths: [ROOT] });
  execFileSync(process.execPath, [projen, 'new', '--from', `ddb-stream-template@file:./${tarball}`, '--no-git'], {
    cwd: target,
    stdio: 'inherit',
  });
  const scaffolded = Date.now();
  process.stdout.write(`\nScaffolded ${target} in ${((scaffolded - started) / 1000).toFixed(1)} s\n`);
  if (parsed.values['no-build']) return;

  execFileSync('npx', ['projen', 'build'], { cwd: target, stdio: 'inherit' });
  process.stdout.write(`\nBuilt (compile, lint, tests, cdk synth) in ${((Date.now() - scaffolded) / 1000).toFixed(1)} s\n`);
  summarize(target);
}

/** Copies the packed template into the new repository; returns its path there, relative to the repository. */
function vendor(tarball, target) {
  const relative = path.posix.join('vendor', path.basename(tarball));
  fs.mkdirSync(path.join(target, 'vendor'));
  fs.copyFileSync(tarball, path.join(target, relative));
  return relative;
}

/** What a user most wants to see: the retry policy that `cdk synth` produced. */
function summarize(target) {
  const out = path.join(target, 'cdk.out');
  const templateFile = fs.readdirSync(out).find((f) => f.endsWith('.template.json'));
  const template = JSON.parse(fs.readFileSync(path.join(out, templateFile), 'utf-8'));
  const keys = ['BatchSize', 'StartingPosition', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'FunctionResponseTypes', 'DestinationConfig'];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::Lambda::Function' && String(resource.Properties.Runtime).startsWith('nodejs')) {
      process.stdout.write(`${id} (AWS::Lambda::Function): Runtime ${resource.Properties.Runtime}\n`);
    }
    if (resource.Type === 'AWS::DynamoDB::Table') {
      process.stdout.write(`\n${id} (AWS::DynamoDB::Table): StreamSpecification ${JSON.stringify(resource.Properties.StreamSpecification)}\n`);
    }
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    process.stdout.write(`${id} (AWS::Lambda::EventSourceMapping):\n`);
    for (const key of keys) process.stdout.write(`  ${key}: ${JSON.stringify(resource.Properties[key])}\n`);
  }
  process.stdout.write(`\nNext: cd ${path.relative(process.cwd(), target) || '.'}, edit .projenrc.ts, run npx projen.\n`);
  process.stdout.write('The template is in vendor/ (commit it): the repository installs without this checkout.\n');
}

main();
