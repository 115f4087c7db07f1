import type { EmulatorMetrics } from './types';

export function emptyMetrics(): EmulatorMetrics {
  return {
    polledEvents: 0,
    filteredOutEvents: 0,
    invocations: 0,
    invokedEvents: 0,
    failedInvocations: 0,
    failedInvokeEvents: 0,
    droppedEvents: 0,
    deliveredToDestinationEvents: 0,
    trimmedEvents: 0,
    iteratorAgeMs: 0,
    maxIteratorAgeMs: 0,
  };
}

/** IteratorAge is measured on the last record of the batch at invocation time (CloudWatch Lambda metrics). */
export function recordIteratorAge(metrics: EmulatorMetrics, ageMs: number): void {
  metrics.iteratorAgeMs = ageMs;
  if (ageMs > metrics.maxIteratorAgeMs) metrics.maxIteratorAgeMs = ageMs;
}
