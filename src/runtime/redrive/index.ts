export { RedriveError } from '../errors';
export { redrive, windowRefusal, type RedriveOptions, type RedriveReport, type RedriveItemReport } from './redrive';
export { rereadBatch } from './reread';
export { fileSource, type FailureSource, type SourcePage, type UnreadableMessage } from './sources';
export { sqsSource, type SqsSourceOptions } from './sqs-source';
export { s3Source, type S3SourceOptions } from './s3-source';
export { localTarget, lambdaTarget, type RedriveTarget, type RedriveOutcome } from './targets';
export { messageId, parseFailureMessage, type PendingMessage, type MarkOutcome } from './messages';
export { Ledger } from './ledger';
