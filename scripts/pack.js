// Builds this package with jsii and packs it, printing the tarball's absolute path.
// Shared by the scaffold script, the end-to-end tests and the benchmarks, so all of them test what npm would ship.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.scratch');

function pack({ quiet = false } = {}) {
  const stdio = quiet ? 'pipe' : 'inherit';
  execFileSync(process.execPath, [require.resolve('jsii/bin/jsii', { paths: [ROOT] }), '--silence-warnings=reserved-word'], {
    cwd: ROOT,
    stdio,
  });
  fs.mkdirSync(SCRATCH, { recursive: true });
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', SCRATCH], { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(output);
  return path.join(SCRATCH, filename);
}

module.exports = { pack, ROOT };

if (require.main === module) {
  process.stdout.write(`${pack()}\n`);
}
