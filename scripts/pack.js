// Builds this package with jsii and packs it, printing the tarball's absolute path.
// Shared by the scaffold script, the end-to-end tests and the benchmarks, so all of them test what npm would ship.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.scratch');
const MANIFEST = path.join(ROOT, '.jsii');

/** The newest modification time of the files jsii compiles (src/**), in ms. */
function newestSourceMs(dir = path.join(ROOT, 'src')) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

/** True when .jsii and lib/ were built after the last change under src/. */
function isBuildFresh() {
  return fs.existsSync(MANIFEST) && fs.statSync(MANIFEST).mtimeMs >= newestSourceMs();
}

/** jsii compile (the `compile` task), unless the build is already fresh. */
function buildIfStale({ quiet = false } = {}) {
  if (isBuildFresh()) return;
  execFileSync(process.execPath, [require.resolve('jsii/bin/jsii', { paths: [ROOT] }), '--silence-warnings=reserved-word'], {
    cwd: ROOT,
    stdio: quiet ? 'pipe' : 'inherit',
  });
}

function pack({ quiet = false } = {}) {
  buildIfStale({ quiet });
  // a folder per call: test files that pack at the same time never write the same tarball
  fs.mkdirSync(SCRATCH, { recursive: true });
  const destination = fs.mkdtempSync(path.join(SCRATCH, 'pack-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(output);
  return path.join(destination, filename);
}

module.exports = { pack, buildIfStale, ROOT };

if (require.main === module) {
  process.stdout.write(`${pack()}\n`);
}
