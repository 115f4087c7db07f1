/** One thing wrong with the options, in the terms a user wrote them in `.projenrc.ts`. */
export interface OptionProblem {
  /** The option path as spelled in `.projenrc.ts`, e.g. `consumers[0].retryAttempts`. */
  readonly option: string;
  /** The value given (rendered with JSON). */
  readonly value: unknown;
  /** What is wrong, when more than "not allowed". */
  readonly reason?: string;
  /** The allowed values. */
  readonly allowed: string;
  /** How to fix it. */
  readonly fix: string;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  return JSON.stringify(value) ?? String(value);
}

export function formatProblem(problem: OptionProblem): string {
  const reason = problem.reason ? ` ${problem.reason}.` : '';
  return (
    `${problem.option}: got ${describeValue(problem.value)}.${reason} ` +
    `Allowed: ${problem.allowed}. Fix: ${problem.fix}.`
  );
}

/**
 * Thrown before any file is written when the options cannot produce a working consumer. Lists every problem at
 * once so a user fixes them in one pass. The stack is the message itself: the frames point into this package,
 * which helps nobody editing `.projenrc.ts`.
 */
export class DdbStreamOptionsError extends Error {
  /** Not enumerable, so that Node prints the message alone when `.projenrc.ts` lets this error escape. */
  public declare readonly problems: readonly OptionProblem[];

  constructor(problems: readonly OptionProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      [`DdbStreamApp options (.projenrc.ts) have ${count}; nothing was written:`, ...problems.map((p) => `  - ${formatProblem(p)}`)].join(
        '\n',
      ),
    );
    this.name = 'DdbStreamOptionsError';
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A stop that is not about one option's value (the Node.js version, for one): one line, without frames. */
export class DdbStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DdbStreamError';
    this.stack = `${this.name}: ${this.message}`;
  }
}
