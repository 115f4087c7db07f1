import { execSync } from 'child_process';
import { LogLevel } from 'projen';
import type { DdbStreamApp } from '../../../src';
import { testApp, type TestOptions } from '../helpers';

// as Testing.synth does: no npm install after each synth
process.env.PROJEN_DISABLE_POST = 'true';

/** Runs `npx projen` in `dir` as `.projenrc.ts` would: construct, then synth; returns what it logged. */
export function synthIn(dir: string, options: TestOptions): { log: string; project: DdbStreamApp } {
  const logged: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...text: unknown[]) => void logged.push(text.join(' ')));
  try {
    // projen logs nothing under jest unless asked
    const project = testApp({ ...options, logging: { level: LogLevel.INFO } }, dir);
    project.synth();
    return { log: logged.join('\n'), project };
  } finally {
    spy.mockRestore();
  }
}

/** The summary block of a synth's log, or '' when it printed none. */
export function summaryOf(log: string): string {
  return log
    .split('\n')
    .filter((line) => /What the (next|first) deployment changes|back to what is deployed|Changed since the last synth|^\s+- /.test(line))
    .join('\n');
}

/**
 * What `npx projen deploy` does after a successful `cdk deploy` (and `npx projen record-deployment` on its own): runs
 * the generated task's command, as written in `.projen/tasks.json`, in `dir`.
 */
export function recordDeploymentIn(dir: string, project: DdbStreamApp): string {
  const step = project.tasks.tryFind('record-deployment')!.steps[0];
  return execSync(step.exec!, { cwd: dir, encoding: 'utf-8' });
}
