// The Node.js check of the scripts and of this repository's tests. The floor is package.json's engines, which
// projen writes from src/runtime/node-support.ts (the check of generated repositories); scripts run before that
// module is compiled, so the wording is repeated here and a test holds the two to the same text.
'use strict';
const pkg = require('../package.json');

/** One line saying what is supported when `version` is older than the floor; undefined when it is supported. */
function unsupportedMessage(version) {
  const floor = /(\d+)\.(\d+)\.(\d+)/.exec(pkg.engines.node).slice(1).map(Number);
  const given = version.replace(/^v/, '').split('.').map(Number);
  const older = given[0] - floor[0] || given[1] - floor[1] || given[2] - floor[2];
  if (older >= 0) return undefined;
  return (
    `ddb-stream-template needs Node.js 22 (${floor.join('.')} or later), 24 or 26, the maintained LTS lines; this is Node.js ${version.replace(/^v/, '')}. ` +
    'Install one of them (https://nodejs.org) and run the command again.'
  );
}

/** Stops the process with that line on an unsupported Node.js, before any work. */
function checkNodeVersion() {
  const message = unsupportedMessage(process.versions.node);
  if (!message) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

module.exports = { checkNodeVersion, unsupportedMessage };
