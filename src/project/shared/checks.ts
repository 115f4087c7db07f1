import type { OptionProblem } from './errors';
import { INFINITE, type IntegerRange } from '../../runtime/rules/consumer-rules';

/** Collects problems under option paths; every check records and continues so that all are reported at once. */
export class ProblemCollector {
  public readonly problems: OptionProblem[] = [];

  public add(problem: OptionProblem): void {
    this.problems.push(problem);
  }

  /** An integer in `min..max`, or -1 when the range is `infinite`. Missing values are fine (defaults apply). */
  public integer(option: string, value: unknown, { min, max, infinite }: IntegerRange, fix: string): void {
    if (value === undefined) return;
    const inRange = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
    if (inRange || (infinite === true && value === INFINITE)) return;
    const range = `an integer ${min}..${max}`;
    this.add({ option, value, allowed: infinite ? `-1 (infinite) or ${range}` : range, fix });
  }

  /** An object, or missing (defaults apply). True when there is an object whose fields are to be checked. */
  public object(option: string, value: unknown, allowed: string, fix: string): value is object {
    if (value === undefined) return false;
    if (value !== null && typeof value === 'object') return true;
    this.add({ option, value, allowed, fix });
    return false;
  }

  public oneOf<T>(option: string, value: unknown, allowed: readonly T[], fix: string): void {
    if (value === undefined || allowed.includes(value as T)) return;
    this.add({ option, value, allowed: allowed.map((a) => JSON.stringify(a)).join(', '), fix });
  }

  public boolean(option: string, value: unknown): void {
    if (value === undefined || typeof value === 'boolean') return;
    this.add({ option, value, allowed: 'true or false', fix: `write ${option.split('.').pop()}: true or false` });
  }

  public pattern(option: string, value: unknown, pattern: RegExp, allowed: string, fix: string): void {
    if (value === undefined) return;
    if (typeof value === 'string' && pattern.test(value)) return;
    this.add({ option, value, allowed, fix });
  }
}

/** A risky but legal setting: what can happen, said once at synth. */
export interface OptionWarning {
  readonly option: string;
  readonly message: string;
}
