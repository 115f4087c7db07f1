/**
 * A local HTTP endpoint that speaks Lambda's Invoke API, so `redrive --target lambda` is tested through the real
 * `@aws-sdk/client-lambda` (request signing, serialization, response parsing) with no AWS account. Nothing local
 * from the registry serves Lambda's Invoke API without Docker, so the protocol is written here, from AWS's pages:
 *
 * Invoke (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html):
 * - Request: `POST /2015-03-31/functions/FunctionName/invocations?Qualifier=Qualifier`, the event as the body.
 * - "StatusCode: The HTTP status code is in the 200 range for a successful request. For the RequestResponse
 *   invocation type, this status code is 200."
 * - "X-Amz-Function-Error: If present, indicates that an error occurred during function execution. Details about
 *   the error are included in the response payload."
 * - "ResourceNotFoundException: The resource specified in the request does not exist. HTTP Status Code: 404"
 *
 * The error payload is what the Node.js runtime reports for an exception the handler throws
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html): `errorType`, `errorMessage` and `trace`.
 */
import { createServer, type IncomingMessage } from 'http';
import type { AddressInfo } from 'net';

export type DeployedFunction = (event: unknown) => Promise<unknown>;

/**
 * A result sent as these bytes rather than as JSON: what a function in a runtime other than Node.js may answer
 * (Invoke's response `Payload` is "The response from the function, or an error object", bytes, not necessarily JSON).
 */
export class RawPayload {
  constructor(public readonly text: string) {}
}

export interface InvokeRequest {
  readonly functionName: string;
  readonly invocationType: string;
  /** SigV4's header: the SDK signed the request as it would for AWS. */
  readonly authorization: string;
  readonly event: unknown;
}

export interface LambdaEndpoint {
  readonly url: string;
  readonly requests: InvokeRequest[];
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaEndpoint(functions: Record<string, DeployedFunction>): Promise<LambdaEndpoint> {
  const requests: InvokeRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const match = INVOKE_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, { 'x-amzn-ErrorType': 'UnknownOperationException', 'content-type': 'application/json' }).end('{"Type":"User","Message":"Unknown operation"}');
        return;
      }
      const functionName = decodeURIComponent(match[1]);
      const fn = functions[functionName];
      if (!fn) {
        const message = `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${functionName}`;
        res.writeHead(404, { 'x-amzn-ErrorType': 'ResourceNotFoundException', 'content-type': 'application/json' }).end(JSON.stringify({ Type: 'User', Message: message }));
        return;
      }
      const event = JSON.parse(body.toString('utf8')) as unknown;
      requests.push({ functionName, invocationType: String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse'), authorization: String(req.headers.authorization ?? ''), event });
      const headers = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' };
      try {
        const result = await fn(event);
        res.writeHead(200, headers).end(result instanceof RawPayload ? result.text : JSON.stringify(result ?? null));
      } catch (error) {
        const e = error as Error;
        const payload = { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') };
        res.writeHead(200, { ...headers, 'x-amz-function-error': 'Unhandled' }).end(JSON.stringify(payload));
      }
    })();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
