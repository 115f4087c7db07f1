// The user logic of the handler benchmarks, without I/O: read the key and the images of every change, sum a field.
import type { ChangeHandlers } from 'GENERATED/changes';

/** What the callbacks did: a redelivered record skipped by idempotency leaves it unchanged. */
export const seen = { count: 0, total: 0 };

export const summingCallbacks: ChangeHandlers = {
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
};
