/**
 * fauxqs (an SQS, SNS and S3 protocol server, npm `fauxqs`) on 127.0.0.1, in a child process of the same Node.
 * fauxqs 2.x needs Node >= 22.5 (it uses node:sqlite); on older Node the tests that need it skip, saying why.
 */
import { type ChildProcess, spawn } from 'child_process';
import { REPO } from '../local/helpers';

const [major, minor] = process.versions.node.split('.').map(Number);
export const FAUXQS_SUPPORTED = major > 22 || (major === 22 && minor >= 5);
export const FAUXQS_SKIP_REASON = `SKIPPED: fauxqs 2.x needs Node >= 22.5 (node:sqlite) and this is Node ${process.version}; every supported Node.js (22.22.2 or later) has it`;

export interface Fauxqs {
  readonly endpoint: string;
  /** Client config for the SQS, SNS and S3 clients: the endpoint, a region and dummy credentials. */
  readonly clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; forcePathStyle: boolean };
  stop(): Promise<void>;
}

export async function startFauxqs(): Promise<Fauxqs> {
  const script = "const m = await import('fauxqs'); const s = await m.startFauxqs({ port: 0, host: '127.0.0.1', logger: false }); process.stdout.write(`PORT ${s.port}\\n`);";
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`fauxqs exited with ${code}: ${out}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clientConfig: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true },
    stop: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
