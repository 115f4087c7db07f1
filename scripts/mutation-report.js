#!/usr/bin/env node
/**
 * Prints Stryker's JSON reports (reports/mutation/*.json, written by `npm run mutate`) as the Markdown of MUTATION.md:
 * the score per file and every mutant that survived or had no test, by line, so that each gets a verdict.
 *
 *   node scripts/mutation-report.js reports/mutation/mutation.json [reports/mutation/mutation-static.json ...]
 *
 * The score is Stryker's: killed and timed-out mutants over every valid mutant (compile errors and ignored mutants
 * are not valid; a mutant no test runs counts as undetected).
 */
const fs = require('fs');

const DETECTED = ['Killed', 'Timeout'];
const UNDETECTED = ['Survived', 'NoCoverage'];

function main(paths) {
  if (paths.length === 0) {
    console.error('usage: node scripts/mutation-report.js <mutation.json>...');
    process.exit(2);
  }
  for (const file of paths) {
    const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
    console.log(`### ${file}\n`);
    console.log('| file | mutants | killed | timeout | survived | no coverage | ignored | compile error | score |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const undetected = [];
    for (const [name, { mutants, source }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
      const count = (statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
      const detected = count(DETECTED);
      const valid = detected + count(UNDETECTED);
      const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
      console.log(
        `| ${name} | ${mutants.length} | ${count(['Killed'])} | ${count(['Timeout'])} | ${count(['Survived'])} | ${count(['NoCoverage'])} | ` +
          `${count(['Ignored'])} | ${count(['CompileError'])} | ${score} |`,
      );
      const lines = source.split('\n');
      for (const m of mutants.filter((x) => UNDETECTED.includes(x.status))) {
        const line = m.location.start.line;
        undetected.push({ name, line, m, code: lines[line - 1].trim() });
      }
    }
    console.log(`\nUndetected (${undetected.length}):\n`);
    for (const { name, line, m, code } of undetected.sort((a, b) => a.name.localeCompare(b.name) || a.line - b.line)) {
      const replacement = String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
      console.log(`- ${name}:${line} ${m.mutatorName} (${m.status}) \`${replacement}\` in \`${code.slice(0, 100)}\``);
    }
    console.log('');
  }
}

main(process.argv.slice(2));
