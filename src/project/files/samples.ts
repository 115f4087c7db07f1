import * as fs from 'fs';
import * as path from 'path';
import { Component, JsonFile, type Project } from 'projen';
import { sampleFile } from './managed-file';
import type { TableConfig } from '../../runtime/config';
import { sampleView } from '../view/sample-view';
import type { ViewModel } from '../view/view-model';

/** The record of what was written, committed with the repository so that it holds for every clone. */
export const SAMPLES_RECORD = '.projen/samples.json';

/** `.projen/samples.json`: the sample files written once, for the app and per consumer. */
export interface SamplesRecord {
  readonly app: readonly string[];
  readonly consumers: Readonly<Record<string, readonly string[]>>;
}

/**
 * The sample files (`src/main.ts`, and per consumer its handler, unit test and emulator test): written once, when
 * the repository or the consumer first appears, and then the user's. A sample the user deletes stays deleted,
 * because the next synth reads {@link SAMPLES_RECORD} and writes samples only for consumers it does not list.
 * A consumer removed from the options leaves the record, so one added back gets fresh samples (where missing).
 *
 * Repositories from before the record existed have none: there, a consumer whose managed contract is already on
 * disk counts as sampled, so an upgrade brings no deleted sample back.
 */
export class SampleFiles extends Component {
  constructor(project: Project, view: ViewModel, table: TableConfig) {
    super(project);
    const src = (project as { srcdir?: string }).srcdir ?? 'src';
    const testdir = (project as { testdir?: string }).testdir ?? 'test';
    const previous = readSamplesRecord(project.outdir);
    const existed = (file: string) => fs.existsSync(path.join(project.outdir, file));

    const app = [`${src}/main.ts`];
    if (!(previous ? previous.app.length > 0 : existed(`${src}/generated/stack.ts`))) {
      sampleFile(project, app[0], 'sample/src/main.ts', view);
    }
    const consumers: Record<string, string[]> = {};
    for (const consumer of view.consumers) {
      const files = {
        [`${src}/handlers/${consumer.name}.ts`]: 'sample/src/handlers/consumer.ts',
        [`${testdir}/${consumer.name}.test.ts`]: 'sample/test/consumer.test.ts',
        [`${testdir}/${consumer.name}.emulator.test.ts`]: 'sample/test/consumer.emulator.test.ts',
      };
      consumers[consumer.name] = Object.keys(files);
      const sampled = previous ? consumer.name in previous.consumers : existed(`${src}/generated/${consumer.name}/contract.ts`);
      if (sampled) continue;
      const consumerView = { ...view, ...consumer, sample: sampleView(table, consumer.config) };
      for (const [file, template] of Object.entries(files)) sampleFile(project, file, template, consumerView);
    }

    const record: SamplesRecord & { readonly about: string } = {
      about:
        'Sample files ddb-stream-template wrote once; they are yours. A listed file you delete stays deleted. ' +
        'A consumer removed from .projenrc.ts leaves this list, and gets fresh samples if it comes back.',
      app,
      consumers,
    };
    new JsonFile(project, SAMPLES_RECORD, { obj: record, marker: true, readonly: true });
  }
}

/** The record of the last synth, or undefined when there is none (a new repository, or one from before it). */
export function readSamplesRecord(outdir: string): SamplesRecord | undefined {
  const file = path.join(outdir, SAMPLES_RECORD);
  if (!fs.existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf-8')) as Partial<SamplesRecord>;
    if (!Array.isArray(parsed.app) || typeof parsed.consumers !== 'object' || parsed.consumers === null) return undefined;
    return { app: parsed.app, consumers: parsed.consumers };
  } catch {
    // an unreadable record is treated as none: the on-disk rule still keeps deleted samples deleted
    return undefined;
  }
}
