/**
 * DynamoDB Local 3.x is a Java 17 program. Checking first turns a cryptic spawn ENOENT or
 * UnsupportedClassVersionError into one line that says what to install.
 */
import { spawnSync } from 'child_process';
import { JavaNotFoundError } from '../../errors';

export const MINIMUM_JAVA_MAJOR = 17;

const FIX = 'install a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`, or https://adoptium.net) and make sure `java` is on PATH';

/** Returns the major version of `javaCommand`, or throws {@link JavaNotFoundError}. */
export function checkJava(javaCommand = 'java'): number {
  const result = spawnSync(javaCommand, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new JavaNotFoundError(`DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR}+ but \`${javaCommand}\` was not found (PATH=${process.env.PATH ?? ''}): ${FIX}`);
  }
  // `java -version` writes to stderr: `openjdk version "17.0.15" ...` or `java version "1.8.0_392"`.
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= MINIMUM_JAVA_MAJOR)) {
    throw new JavaNotFoundError(`DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR}+ but \`${javaCommand} -version\` reports ${match ? major : JSON.stringify(text.split('\n')[0])}: ${FIX}`);
  }
  return major;
}
