export { redrive, type RedriveOptions, type RedriveReport, type RedriveItemReport } from './redrive';
export { rereadBatch } from './reread';
export { fileSource, sqsSource, s3Source, type FailureSource } from './sources';
export { localTarget, lambdaTarget, type RedriveTarget, type RedriveOutcome } from './targets';
export { messageId, parseFailureMessage, type PendingMessage } from './messages';
export { Ledger } from './ledger';
