// Our generated handler ("bench" consumer, NEW_AND_OLD_IMAGES, reportBatchItemFailures on), with the same user
// logic as powertools.ts: read the key and the images of every change.
// `GENERATED` is resolved by the bench to a folder rendered by the project type.
import { defineBenchHandler } from 'GENERATED/bench/contract';

export const seen = { count: 0, total: 0 };

export const handler = defineBenchHandler({
  onInsert(change) {
    seen.count++;
    seen.total += Number(change.newImage.total);
  },
  onModify(change) {
    seen.count++;
    seen.total += Number(change.newImage.total) - Number(change.oldImage.total);
  },
  onRemove(change) {
    seen.count++;
    seen.total -= Number(change.oldImage.total);
  },
});
