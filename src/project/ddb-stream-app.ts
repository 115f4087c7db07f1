import * as fs from 'fs';
import * as path from 'path';
import { awscdk, javascript, JsonFile, typescript } from 'projen';
import { DEPLOYED_FILE, RECORD_DEPLOYMENT_COMMAND } from './changes/baseline';
import { applyDeploymentPlan, planDeployment, type DeploymentPlan } from './changes/summary';
import { ManagedFile } from './files/managed-file';
import { writeInitialProjenrc, type ProjenNewInfo } from './files/projenrc-file';
import { ManagedReadme } from './files/readme';
import { SampleFiles } from './files/samples';
import type { DdbStreamAppOptions } from './options/options';
import { resolveOptions, type ResolvedOptions } from './resolve/resolve-options';
import { DdbStreamError } from './shared/errors';
import { isUnsupportedCdkVersion, TESTED_CDK_VERSION } from './versions/cdk-version';
import { handInstalledCdkLibAdvice, installedCdkLib, outdatedRuntimeProblem } from './versions/lambda-runtime';
import { pinned, TESTED_VERSIONS } from './versions/tested-versions';
import { putItemExample, retryPolicyInWords } from './view/readme-words';
import { buildViewModel, type ViewModel } from './view/view-model';
import { TASK_ENV } from '../runtime/cli/common';
import { poisonDiagram, poisonTimeline } from '../runtime/explain';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../runtime/local/local-endpoint';
import { MIN_NODE_VERSION, unsupportedNodeMessage } from '../runtime/node-support';

/**
 * Runtime dependencies every generated consumer needs, at the exact versions this release was tested with
 * (versions/tested-versions.ts). cdk-nag is a dependency, not a devDependency: the stack code (src/generated/nag.ts) records
 * its suppressions. Major 2: cdk-nag 3 replaced NagSuppressions and Aspects with aws-cdk-lib's Validations plugins;
 * why we have not moved yet and what the move takes: docs/generated-code.md, "cdk-nag stays on major 2".
 */
const GENERATED_DEPS = [pinned('@aws-sdk/util-dynamodb'), pinned('cdk-nag')];
// The local runner and redrive (npx projen local / redrive) use the DynamoDB and Streams clients. DynamoDB Local
// (60 MB) and redrive's SQS, S3 and Lambda clients are installed on first use into a cache shared by every repository
// on the machine (src/runtime/tools/install.ts): nothing in the build loads them.
const GENERATED_DEV_DEPS = ['@types/aws-lambda@^8', '@aws-sdk/client-dynamodb@^3', '@aws-sdk/client-dynamodb-streams@^3'];
// A consumer with `idempotency` on runs its records through Powertools' idempotency utility (bundled into its
// function; the AWS SDK it uses is the Lambda runtime's).
const IDEMPOTENCY_DEPS = [pinned('@aws-lambda-powertools/idempotency')];
/**
 * Tests are type-checked once, by the build's compile step (`tsc --noEmit -p test/tsconfig.json`, see addTypeCheck).
 * ts-jest would check them a second time, file by file through TypeScript's language service, which made `jest` five
 * times slower in a scaffolded repository (57 s against 11 s). It transpiles them instead, with the same compiler
 * options plus isolatedModules (`test/tsconfig.jest.json`). TS151002 ("hybrid module kind ... isolatedModules") is
 * the message of the language-service path; it stays ignored in case a user's own settings bring that path back.
 */
function tsJestOptions(testdir: string): typescript.TsJestOptions {
  return {
    transformOptions: {
      tsconfig: typescript.TsJestTsconfig.fromFile(`${testdir}/${JEST_TSCONFIG}`),
      diagnostics: typescript.TsJestDiagnostics.custom({ ignoreCodes: [151002] }),
    },
  };
}
const JEST_TSCONFIG = 'tsconfig.jest.json';
/** Preloaded by `npx projen` (see reportProjenrcErrorsWithoutStack); resolved from the repository's node_modules. */
const PROJENRC_ERRORS = 'ddb-stream-template/lib/project/projenrc-errors';
/** Where the runtime kit's command-line programs are, once the template is installed. */
const CLI_DIR = 'node_modules/ddb-stream-template/lib/runtime/cli';

interface Prepared {
  readonly superOptions: awscdk.AwsCdkTypeScriptAppOptions;
  readonly resolved: ResolvedOptions;
  readonly plan: DeploymentPlan;
}

/**
 * A DynamoDB Streams consumer: the table and its stream, one or two Lambda consumers with a safe retry policy and a
 * failure destination, typed handlers and tests, generated from the options and kept in sync by `npx projen`.
 *
 * @pjid ddb-stream-app
 */
export class DdbStreamApp extends awscdk.AwsCdkTypeScriptApp {
  /**
   * Validates the options before the base project is created, so that bad input writes nothing.
   */
  private static prepare(options: DdbStreamAppOptions): Prepared {
    const unsupportedNode = unsupportedNodeMessage();
    if (unsupportedNode) throw new DdbStreamError(unsupportedNode);
    const creating = (options as { __new__?: ProjenNewInfo }).__new__;
    // `projen new` passes projen's own idea of a CDK version; new projects get the one our code is tested with.
    const cdkVersion =
      creating && isUnsupportedCdkVersion(options.cdkVersion) ? TESTED_CDK_VERSION : options.cdkVersion;
    const given = { ...options, cdkVersion };
    const resolved = resolveOptions(given);
    // like validation, a refused deployment change throws here, before anything is written
    const plan = planDeployment(path.resolve(options.outdir ?? '.'), resolved, options.acknowledgedChanges ?? []);
    if (creating) {
      writeInitialProjenrc(options.outdir ?? process.cwd(), {
        args: { ...creating.args, cdkVersion },
      });
    }
    return {
      resolved,
      plan,
      superOptions: {
        sampleCode: false,
        lambdaAutoDiscover: false,
        packageManager: javascript.NodePackageManager.NPM,
        prettier: true,
        tsJestOptions: tsJestOptions(options.testdir ?? 'test'),
        // no silent rewrites: a snapshot that no longer matches fails the build (`npx projen test:update` rewrites
        // it on purpose), and a test task that finds no test is red, not green
        jestOptions: { updateSnapshot: javascript.UpdateSnapshot.NEVER, passWithNoTests: false, ...options.jestOptions },
        minNodeVersion: MIN_NODE_VERSION,
        cdkCliVersion: TESTED_VERSIONS['aws-cdk'],
        typescriptVersion: TESTED_VERSIONS.typescript,
        ...given,
        // what a user sets below raises a pin (README, "Versions"); the rest stays as tested
        cdkVersion: resolved.cdkLibVersion,
        cdkVersionPinning: true,
        bundlerOptions: { esbuildVersion: TESTED_VERSIONS.esbuild, ...options.bundlerOptions },
        deps: [...GENERATED_DEPS, ...(resolved.config.consumers.some((c) => c.idempotency) ? IDEMPOTENCY_DEPS : []), ...(options.deps ?? [])],
        devDeps: [...GENERATED_DEV_DEPS, ...(options.devDeps ?? [])],
      },
    };
  }

  private readonly view: ViewModel;
  private readonly resolved: ResolvedOptions;

  constructor(options: DdbStreamAppOptions) {
    const prepared = DdbStreamApp.prepare(options);
    super(prepared.superOptions);
    this.resolved = prepared.resolved;
    this.view = buildViewModel(this.name, prepared.resolved);
    for (const warning of prepared.resolved.warnings) {
      this.logger.warn(`${warning.option}: ${warning.message}`);
    }
    const advice = handInstalledCdkLibAdvice(installedCdkLib(this.outdir), prepared.resolved.cdkLibVersion);
    if (advice) this.logger.warn(advice);
    this.addGeneratedFiles();
    new SampleFiles(this, this.view, prepared.resolved.config.table);
    this.addLocalTasks();
    this.reportProjenrcErrorsWithoutStack();
    this.addMonitoringFiles(prepared.resolved);
    this.keepGeneratedCodeOutOfTools();
    this.addTypeCheck();
    new JsonFile(this, `${this.testdir}/${JEST_TSCONFIG}`, {
      obj: { extends: `./${path.posix.relative(this.testdir, this.tsconfigDev.fileName)}`, compilerOptions: { isolatedModules: true } },
      allowComments: true,
      marker: true,
    });
    applyDeploymentPlan(this, prepared.plan);
    this.addDeploymentRecord();
    this.gitignore.exclude('/.local/');
  }

  /**
   * `npx projen deploy` records what it deployed once `cdk deploy` succeeded (a failed deploy stops the task first);
   * `npx projen record-deployment` does the same for a pipeline that runs `cdk deploy` itself.
   */
  private addDeploymentRecord(): void {
    const record = this.addTask('record-deployment', {
      description: `Record the last synth as deployed (${DEPLOYED_FILE}); run it after a successful cdk deploy`,
      exec: RECORD_DEPLOYMENT_COMMAND,
    });
    this.tasks.tryFind('deploy')?.spawn(record);
    // committed like the baseline it copies, whatever else .gitignore says about .projen/
    this.gitignore.include(`/${DEPLOYED_FILE}`);
  }

  /** After projen installed the pinned dependencies: the aws-cdk-lib the build will run is now on disk. */
  public postSynthesize(): void {
    super.postSynthesize();
    const problem = outdatedRuntimeProblem(
      installedCdkLib(this.outdir),
      this.resolved.cdkLibVersion,
      this.resolved.config.consumers.map((c, i) => ({
        option: `consumers[${i}].runtime`,
        runtime: c.function.runtime,
        chosen: this.resolved.chosenRuntimes.has(c.name),
      })),
    );
    if (problem) throw new DdbStreamError(problem);
  }

  public synth(): void {
    super.synth();
    // after projen's own clean-up of files no longer produced, and also when post-synthesis steps are disabled
    this.removeEmptyGeneratedFolders();
    this.reportUnusedHandlers();
  }

  private addGeneratedFiles(): void {
    const view = this.view;
    const src = this.srcdir;
    new ManagedFile(this, `${src}/generated/config.ts`, 'app/src/generated/config.ts', view);
    new ManagedFile(this, `${src}/generated/item.ts`, 'app/src/generated/item.ts', view);
    new ManagedFile(this, `${src}/generated/changes.ts`, 'app/src/generated/changes.ts', view);
    new ManagedFile(this, `${src}/generated/table.ts`, 'app/src/generated/table.ts', view);
    new ManagedFile(this, `${src}/generated/stack.ts`, 'app/src/generated/stack.ts', view);
    new ManagedFile(this, `${src}/generated/index.ts`, 'app/src/generated/index.ts', view);
    new ManagedFile(this, `${this.testdir}/generated/stack.test.ts`, 'app/test/generated/stack.test.ts', view);
    if (view.idempotency) {
      new ManagedFile(this, `${src}/generated/idempotency.ts`, 'app/src/generated/idempotency.ts', view);
      // every test gets a fresh in-memory store, also the tests written before idempotency was turned on
      new ManagedFile(this, `${this.testdir}/generated/idempotency-setup.ts`, 'app/test/generated/idempotency-setup.ts', view);
      this.jest?.addSetupFileAfterEnv(`<rootDir>/${this.testdir}/generated/idempotency-setup.ts`);
    }
    for (const consumer of view.consumers) {
      const consumerView = { ...view, ...consumer };
      for (const file of ['config', 'consumer', 'contract']) {
        new ManagedFile(this, `${src}/generated/${consumer.name}/${file}.ts`, `app/src/generated/consumer/${file}.ts`, consumerView);
      }
    }
  }

  /** Alarms, dashboard, cdk-nag suppressions and their tests (issue 6). */
  private addMonitoringFiles(resolved: ResolvedOptions): void {
    const view = this.view;
    const src = this.srcdir;
    new ManagedFile(this, `${src}/generated/monitoring.ts`, 'app/src/generated/monitoring.ts', view);
    new ManagedFile(this, `${src}/generated/nag.ts`, 'app/src/generated/nag.ts', view);
    for (const consumer of view.consumers) {
      const consumerView = { ...view, ...consumer };
      new ManagedFile(this, `${src}/generated/${consumer.name}/alarms.ts`, 'app/src/generated/consumer/alarms.ts', consumerView);
    }
    ManagedReadme.replaceSampleReadme(this);
    const table = resolved.config.table;
    const single = view.consumers.length === 1;
    new ManagedReadme(this, 'README.md', this.name, {
      ...view,
      single,
      consumers: view.consumers.map((c) => ({
        ...c,
        policy: retryPolicyInWords(c.config),
        // the emulator run on a poison record at every synth, so the picture is always the options' own
        poisonDiagram: poisonDiagram(poisonTimeline(c.config)),
        explainTask: `explain:${c.name}`,
        localTask: single ? 'local' : `local:${c.name}`,
        redriveTask: single ? 'redrive' : `redrive:${c.name}`,
      })),
      putItem: putItemExample([table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]),
      localEndpoint: { region: LOCAL_REGION, ...LOCAL_CREDENTIALS },
    });
  }

  /**
   * Managed files are read-only, so the repo's formatter and linter must not judge them (as projen keeps its own
   * generated files out): a prettier or eslint upgrade, or the user's `prettierOptions`, cannot fail the build on
   * files the user cannot fix. Coverage counts the user's code only.
   */
  private keepGeneratedCodeOutOfTools(): void {
    const managed = [`${this.srcdir}/generated/`, `${this.testdir}/generated/`];
    for (const folder of managed) {
      this.prettier?.addIgnorePattern(folder);
      this.eslint?.addIgnorePattern(folder);
    }
    const jest = this.jest;
    if (jest) {
      const current: string[] = jest.config.coveragePathIgnorePatterns ?? ['/node_modules/'];
      jest.config.coveragePathIgnorePatterns = [...current, ...managed.map((folder) => `/${folder}`)];
    }
  }

  /**
   * The build type-checks every file a user owns and every generated one (`tsc --noEmit` over src and test), so a
   * handler that breaks the contract fails `npx projen build` whether or not a test imports it; esbuild bundles
   * without types and jest sees only what tests import.
   */
  private addTypeCheck(): void {
    const dev = this.tsconfigDev;
    // with a .projenrc.ts the dev config covers src and test; without one it is test/tsconfig.json, tests only
    const coversSrc = dev.include.some((pattern) => pattern.startsWith(`${this.srcdir}/`));
    const configs = coversSrc ? [dev.fileName] : [this.tsconfig?.fileName ?? 'tsconfig.json', dev.fileName];
    for (const config of configs) {
      this.compileTask.exec(`tsc --noEmit -p ${config}`, {
        name: `Type-check ${config} (handlers against their generated contracts, whether or not a test imports them)`,
      });
    }
  }

  /**
   * `npx projen local` and `npx projen redrive`, one pair per consumer when there are two; then `local` also runs
   * every consumer at once on the same stream, as AWS does. And `npx projen explain:<consumer>` per consumer.
   */
  private addLocalTasks(): void {
    const single = this.view.consumers.length === 1;
    // the programs are not on the PATH of the repository: each task tells its program its name, for its advice
    // the programs find config and handlers under src/ unless told the project's srcdir (passed only when it differs)
    const srcdir = this.srcdir === 'src' ? '' : ` --srcdir ${/^[\w./-]+$/.test(this.srcdir) ? this.srcdir : JSON.stringify(this.srcdir)}`;
    const task = (name: string, description: string, exec: string) =>
      this.addTask(name, { description, exec: `${exec}${srcdir}`, receiveArgs: true, env: { [TASK_ENV]: name } });
    if (!single) {
      task('local', 'Run every consumer at once on DynamoDB Local, each with its deployed retry policy (--help for options)', `node ${CLI_DIR}/local.js`);
    }
    for (const consumer of this.view.consumers) {
      const suffix = single ? '' : `:${consumer.name}`;
      task(
        `local${suffix}`,
        `Run the "${consumer.name}" consumer on DynamoDB Local with its deployed retry policy (--help for options)`,
        `node ${CLI_DIR}/local.js --consumer ${consumer.name}`,
      );
      task(`redrive${suffix}`, `Re-process the "${consumer.name}" consumer's failed batches (--help for options)`, `node ${CLI_DIR}/redrive.js --consumer ${consumer.name}`);
      // named after the consumer even when it is the only one: the picture is of its policy
      task(
        `explain:${consumer.name}`,
        `Show what a poison record does under the "${consumer.name}" consumer's retry policy, emulated (-- --poison-at N --batch M)`,
        `node ${CLI_DIR}/explain.js --consumer ${consumer.name}`,
      );
    }
  }

  /**
   * `npx projen` runs `.projenrc.ts` through ts-node, which type-checks it: a misspelt option name in an object
   * literal stops it there, in a stack trace of ts-node's frames. Preloading projenrc-errors prints the TypeScript
   * diagnostics alone. (A misspelt name TypeScript lets through is reported by resolveOptions.)
   */
  private reportProjenrcErrorsWithoutStack(): void {
    const task = this.defaultTask;
    const steps = task?.steps ?? [];
    const tsNode = steps.find((step) => step.execArgs?.[0] === 'ts-node');
    if (task === undefined || tsNode === undefined) return;
    task.reset();
    for (const step of steps) {
      task.addSteps(step === tsNode ? { ...step, execArgs: ['ts-node', '--require', PROJENRC_ERRORS, ...step.execArgs!.slice(1)] } : step);
    }
  }

  /** projen deletes the files a removed consumer no longer produces; its folder goes with them. */
  private removeEmptyGeneratedFolders(): void {
    for (const root of [this.srcdir, this.testdir].map((dir) => path.join(this.outdir, dir, 'generated'))) {
      if (!fs.existsSync(root)) continue;
      for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
        const folder = path.join(root, entry.name);
        if (entry.isDirectory() && fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
      }
    }
  }

  /**
   * A removed consumer leaves its handler behind (it is the user's); say so, since it no longer compiles. A handler
   * is known by what it imports (a consumer's generated contract), not by its file name: other files of the user's
   * in the folder are no concern of ours.
   */
  private reportUnusedHandlers(): void {
    const handlersDir = path.join(this.outdir, this.srcdir, 'handlers');
    if (!fs.existsSync(handlersDir)) return;
    const names = new Set(this.view.consumers.map((c) => c.name));
    for (const file of fs.readdirSync(handlersDir).sort()) {
      if (!file.endsWith('.ts')) continue;
      const source = fs.readFileSync(path.join(handlersDir, file), 'utf-8');
      const name = [...source.matchAll(/from\s+['"]\.\.\/generated\/([^/'"]+)\//g)].map((m) => m[1]).find((n) => !names.has(n));
      if (name === undefined) continue;
      const base = file.replace(/\.ts$/, '');
      const tests = [`${base}.test.ts`, `${base}.emulator.test.ts`]
        .map((test) => `${this.testdir}/${test}`)
        .filter((test) => fs.existsSync(path.join(this.outdir, test)));
      const alsoTests = tests.length > 0 ? ` (and ${tests.join(', ')})` : '';
      const unused = base === name ? 'is no longer used' : `uses the contract of "${name}" and is no longer used`;
      this.logger.warn(
        `${this.srcdir}/handlers/${file} ${unused}: no consumer named "${name}" in .projenrc.ts. ` +
          `Its generated contract (${this.srcdir}/generated/${name}/) was removed, so it will not compile: ` +
          `delete it${alsoTests}, or add the consumer back.`,
      );
    }
  }
}
