/**
 * What a client of the local runner's DynamoDB Local must send. DynamoDB Local checks neither region nor keys, and
 * `-sharedDb` makes them irrelevant to which tables a client sees, but every AWS client refuses to send a request
 * without them: fixed values keep clients from searching the machine's profiles, and let a documented command run on a
 * machine that has none.
 */
export const LOCAL_REGION = 'ddblocal';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
