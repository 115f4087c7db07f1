import * as fs from 'fs';
import * as path from 'path';
import { Component, SampleReadme, type Project } from 'projen';
import { renderTemplate } from '../render/render';

export const README_BEGIN = '<!-- ddb-stream-template:begin -->';
export const README_END = '<!-- ddb-stream-template:end -->';

/**
 * The consumer repo's README: written whole on the first synth; later synths replace only the text between the two
 * markers and leave the rest byte-identical, so the file stays the user's. Not a projen `FileBase`: those are listed
 * as generated (`.gitattributes` linguist-generated, `.projen/files.json`), which a user-owned file is not.
 */
export class ManagedReadme extends Component {
  /** Removes projen's own write-once README ("# replace this"), so that the file has one owner. */
  public static replaceSampleReadme(project: Project): void {
    for (const child of project.node.children) {
      if (child instanceof SampleReadme) project.node.tryRemoveChild(child.node.id);
    }
  }

  constructor(
    project: Project,
    private readonly filePath: string,
    private readonly title: string,
    private readonly view: object,
  ) {
    super(project);
  }

  public synthesize(): void {
    const file = path.join(this.project.outdir, this.filePath);
    const managed = `${README_BEGIN}\n${renderTemplate('app/README.md', this.view)}${README_END}`;
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, initialReadme(this.title, managed));
      return;
    }
    const existing = fs.readFileSync(file, 'utf-8');
    const updated = replaceManagedSection(existing, managed);
    if (updated === undefined) {
      this.project.logger.warn(
        `${this.filePath} has no "${README_BEGIN}" ... "${README_END}" section, so its generated part (deployment, ` +
          'retry policy, alarms, runbook) is not updated: add the two marker lines where it should go, or delete ' +
          `${this.filePath} to have it written again.`,
      );
      return;
    }
    if (updated !== existing) fs.writeFileSync(file, updated);
  }
}

function initialReadme(title: string, managed: string): string {
  return [
    `# ${title}`,
    '',
    managed,
    '',
    '## Notes',
    '',
    'Everything outside the `ddb-stream-template` markers is yours: `npx projen` rewrites only the section between',
    'them, from `.projenrc.ts`.',
    '',
  ].join('\n');
}

/** The text with its managed section replaced, or undefined when it has no (well-formed) section. */
export function replaceManagedSection(text: string, managed: string): string | undefined {
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END, begin);
  if (begin === -1 || end === -1) return undefined;
  return text.slice(0, begin) + managed + text.slice(end + README_END.length);
}
