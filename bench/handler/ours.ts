// Our generated handler ("bench" consumer, NEW_AND_OLD_IMAGES, reportBatchItemFailures on), with the same user
// logic as powertools.ts: read the key and the images of every change.
// `GENERATED` is resolved by the bench to a folder rendered by the project type.
import { defineBenchHandler } from 'GENERATED/bench/contract';
import { seen, summingCallbacks } from './summing-callbacks';

export { seen };

export const handler = defineBenchHandler(summingCallbacks);
