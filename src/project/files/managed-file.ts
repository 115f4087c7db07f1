import { FileBase, SampleFile, type IResolver, type Project } from 'projen';
import { renderTemplate } from '../render/render';

/**
 * A managed file: rendered from a template at every synth, read-only, and deleted by projen when a later synth
 * no longer produces it (a removed consumer's folder, for example).
 */
export class ManagedFile extends FileBase {
  constructor(
    project: Project,
    filePath: string,
    private readonly template: string,
    private readonly view: object,
  ) {
    super(project, filePath, { readonly: true, marker: true });
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return renderTemplate(this.template, this.view);
  }
}

/** A sample file: written once when missing, then the user's; never overwritten. */
export function sampleFile(project: Project, filePath: string, template: string, view: object): SampleFile {
  return new SampleFile(project, filePath, { contents: renderTemplate(template, view) });
}
