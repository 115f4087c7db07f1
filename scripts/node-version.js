// The Node.js check of the scripts: the floor is package.json's engines (written by projen from
// src/runtime/node-support.ts), so the scripts stop on an unsupported Node with one line, before any work.
'use strict';
const pkg = require('../package.json');

function checkNodeVersion() {
  const floor = /(\d+)\.(\d+)\.(\d+)/.exec(pkg.engines.node).slice(1).map(Number);
  const given = process.versions.node.split('.').map(Number);
  const older = given[0] - floor[0] || given[1] - floor[1] || given[2] - floor[2];
  if (older >= 0) return;
  process.stderr.write(
    `ddb-stream-template needs Node.js 22 (22.22.2 or later), 24 or 26, the maintained LTS lines; this is Node.js ${process.versions.node}. ` +
      'Install one of them (https://nodejs.org) and run the command again.\n',
  );
  process.exit(1);
}

module.exports = { checkNodeVersion };
