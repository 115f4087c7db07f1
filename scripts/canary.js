#!/usr/bin/env node
// The canary: what a scaffold made today would do with the newest releases instead of the pinned ones.
//   npm run canary [-- <dir>] [--keep]
// It scaffolds a repository from this checkout (pinned, as users get it), then raises every pin the way a user
// would (.projenrc.ts: cdkVersion, cdkCliVersion, typescriptVersion, bundlerOptions.esbuildVersion, deps) to the
// newest release of the same major on the registry, turns idempotency on so the Powertools code is built too, and
// runs `npx projen build`. It prints one line per pinned package (pinned, newest, a newer major not tried) and the
// verdict with the build's first failures. Exit code: 0 green, 1 red, 2 when the canary could not run.
// The registry moves under us, so CI prints the verdict and does not fail on it; a red canary goes in the release
// notes of the next pin move.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');
const { checkNodeVersion } = require('./node-version');
const { pack, ROOT } = require('./pack');
// projen's own dependency, so present wherever this checkout's dependencies are installed
const semver = require(require.resolve('semver', { paths: [require.resolve('projen', { paths: [ROOT] })] }));

const USAGE = 'usage: npm run canary [-- <dir>] [--keep]';

/** The pins, read from the built package (pack builds it first): the same module the project type uses. */
function testedVersions() {
  return require(path.join(ROOT, 'lib', 'project', 'versions', 'tested-versions.js')).TESTED_VERSIONS;
}

/**
 * The newest release of `name` in the pinned line (its major; its 0.minor for 0.x, where each minor may break, as
 * esbuild's do), and the registry's `latest` when that is in a newer line. The registry lists versions in publish
 * order, not by semver (a 2.31 patch can come after 2.37), hence semver's maxSatisfying.
 */
function newest(name, pinnedVersion) {
  const view = (field) => JSON.parse(execFileSync('npm', ['view', name, field, '--json'], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const [major, minor] = pinnedVersion.split('.');
  const line = major === '0' ? `~0.${minor}.0` : `^${major}.0.0`;
  const inLine = semver.maxSatisfying(view('versions'), line);
  const latest = view('dist-tags.latest');
  return { inLine, newerMajor: semver.satisfies(latest, line) || semver.lt(latest, inLine) ? undefined : latest };
}

/** Raises the pins in the scaffold's .projenrc.ts the way the README tells a user to. */
function raisePins(dir, versions) {
  const file = path.join(dir, '.projenrc.ts');
  let source = fs.readFileSync(file, 'utf-8');
  const replace = (from, to) => {
    const edited = source.replace(from, to);
    if (edited === source) throw new Error(`.projenrc.ts of the canary has no ${from}`);
    source = edited;
  };
  replace(/cdkVersion: "[^"]+",/, `cdkVersion: "${versions['aws-cdk-lib']}",`);
  replace(
    /\n  name: /,
    `\n  cdkCliVersion: "${versions['aws-cdk']}",\n  typescriptVersion: "${versions.typescript}",\n` +
      `  bundlerOptions: { esbuildVersion: "${versions.esbuild}" },\n` +
      `  deps: [${['cdk-nag', '@aws-sdk/util-dynamodb', '@aws-lambda-powertools/idempotency'].map((n) => `"${n}@${versions[n]}"`).join(', ')}],\n  name: `,
  );
  replace('// idempotency: { enabled: true },', 'idempotency: { enabled: true },');
  fs.writeFileSync(file, source);
}

function run(command, args, cwd) {
  const env = { ...process.env };
  // a developer's shell: under CI=true projen installs with `npm ci`, which needs a lock file the canary lacks
  for (const name of ['CI', 'JEST_WORKER_ID', 'NODE_ENV']) delete env[name];
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** The lines of a build log that say what went wrong: jest's failed test names and their first message line. */
function failures(output) {
  const lines = output.split('\n');
  const picked = [];
  lines.forEach((line, i) => {
    if (/^\s*●\s/.test(line) && !/Console/.test(line)) {
      const detail = lines.slice(i + 1).find((l) => l.trim() !== '');
      picked.push(`${line.trim()}${detail ? ` :: ${detail.trim().slice(0, 240)}` : ''}`);
    } else if (/^(error|Error|DdbStream\w*Error|👾 Task .* failed)/.test(line.trim()) || /error TS\d+/.test(line)) {
      picked.push(line.trim().slice(0, 300));
    }
  });
  return [...new Set(picked)].slice(0, 12);
}

function main() {
  checkNodeVersion();
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`canary: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const given = parsed.positionals[0];
  if (given && fs.existsSync(given) && fs.readdirSync(given).length > 0) {
    process.stderr.write(`canary: ${path.resolve(given)} is not empty; give a new or empty folder\n${USAGE}\n`);
    return 2;
  }
  const dir = given ? path.resolve(given) : fs.mkdtempSync(path.join(os.tmpdir(), 'ddb-stream-canary-'));
  fs.mkdirSync(dir, { recursive: true });
  const started = Date.now();
  try {
    const tarball = pack({ quiet: true });
    const pins = testedVersions();
    const report = Object.entries(pins).map(([name, version]) => ({ name, pinned: version, ...newest(name, version) }));
    const raised = Object.fromEntries(report.map((r) => [r.name, r.inLine]));

    const projen = require.resolve('projen/bin/projen', { paths: [ROOT] });
    const created = run(process.execPath, [projen, 'new', '--from', `ddb-stream-template@file:${tarball}`, '--no-git'], dir);
    if (created.status !== 0) throw new Error(`projen new failed:\n${created.output.slice(-4000)}`);
    raisePins(dir, raised);
    const synth = run('npx', ['projen'], dir);
    const build = synth.status === 0 ? run('npx', ['projen', 'build'], dir) : synth;
    const green = build.status === 0;

    process.stdout.write(`\nCanary ${new Date().toISOString().slice(0, 10)}: a scaffold built with the newest releases of what it pins (${dir})\n`);
    for (const r of report) {
      const moved = r.inLine === r.pinned ? 'same' : `newer: ${r.inLine}`;
      const major = r.newerMajor ? `; ${r.newerMajor} is a newer major, not tried` : '';
      process.stdout.write(`  ${r.name.padEnd(36)} pinned ${r.pinned.padEnd(10)} newest ${r.inLine.padEnd(10)} (${moved}${major})\n`);
    }
    const summary = synth.output.split('\n').filter((l) => /^\s+- consumers\.|^\s+- table\.|What the next deployment changes/.test(l));
    if (summary.length > 0) process.stdout.write(`What raising the pins changes in the stack (npx projen):\n${summary.join('\n')}\n`);
    const took = `${((Date.now() - started) / 1000).toFixed(0)} s`;
    if (green) {
      process.stdout.write(`canary: green (npx projen build passed with the newest releases, ${took})\n`);
    } else {
      process.stdout.write(`canary: red (npx projen build failed with the newest releases, ${took}):\n`);
      for (const line of failures(build.output)) process.stdout.write(`  ${line}\n`);
    }
    return green ? 0 : 1;
  } catch (error) {
    process.stdout.write(`canary: could not run: ${error.message}\n`);
    return 2;
  } finally {
    if (!given && !parsed.values.keep) fs.rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`canary: kept ${dir}\n`);
  }
}

process.exitCode = main();
