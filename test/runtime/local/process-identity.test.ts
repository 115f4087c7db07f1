/**
 * Who a pid is, read the two ways the runner reads it: Linux's /proc/<pid>/cmdline and `ps -o command=` (macOS).
 */
import { spawn } from 'child_process';
import { commandLineOf, isDynamoDbLocalOn } from '../../../src/runtime/local';
import { isAlive } from '../../../src/runtime/local/state/process-identity';

describe('commandLineOf', () => {
  const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
  afterAll(() => sleeper.kill('SIGKILL'));

  test.each([
    ['/proc (Linux)', { procRoot: '/proc' as const }],
    ['ps -o command= (macOS)', { procRoot: false as const }],
  ])('reads another process\'s command line from %s', (_how, source) => {
    expect(commandLineOf(sleeper.pid!, source)).toEqual(['sleep', '300']);
  });

  test.each([
    ['/proc (Linux)', { procRoot: '/proc' as const }],
    ['ps -o command= (macOS)', { procRoot: false as const }],
  ])('answers undefined for a pid that does not exist, from %s', async (_how, source) => {
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    // A pid just freed is not reused at once on Linux (pids grow until they wrap).
    expect(isAlive(gone.pid!)).toBe(false);
    expect(commandLineOf(gone.pid!, source)).toBeUndefined();
  });
});

describe('isDynamoDbLocalOn', () => {
  const java = ['java', '-Djava.library.path=../../lib/x/DynamoDBLocal_lib', '-jar', '../../lib/x/DynamoDBLocal.jar', '-dbPath', '/tmp/s/.local/ddb', '-port', '8000', '-sharedDb'];

  test('is true only for DynamoDBLocal.jar on this very database folder', () => {
    expect(isDynamoDbLocalOn(java, '/tmp/s/.local/ddb')).toBe(true);
    expect(isDynamoDbLocalOn(java, '/tmp/other/.local/ddb')).toBe(false);
    expect(isDynamoDbLocalOn(java, '/tmp/s/.local/dd')).toBe(false);
    expect(isDynamoDbLocalOn(['sleep', '300'], '/tmp/s/.local/ddb')).toBe(false);
    expect(isDynamoDbLocalOn(['vim', '-dbPath', '/tmp/s/.local/ddb'], '/tmp/s/.local/ddb')).toBe(false);
    expect(isDynamoDbLocalOn(undefined, '/tmp/s/.local/ddb')).toBe(false);
  });

  test('recognises a database folder with spaces from ps, which splits on them', () => {
    const fromPs = ['java', '-jar', 'DynamoDBLocal.jar', '-dbPath', '/Users/a', 'b/.local/ddb', '-port', '8000'];
    expect(isDynamoDbLocalOn(fromPs, '/Users/a b/.local/ddb')).toBe(true);
    expect(isDynamoDbLocalOn(fromPs, '/Users/a b/.local')).toBe(false);
  });
});
