/**
 * Issue 19 item 2: each emulator counter that mirrors an event source mapping metric follows the page's whole
 * definition, quoted in full (monitoring-metrics-types, "Event source mapping metrics", the bullet list "Here is
 * more detail about each of the metric"; link text kept, link targets dropped).
 */
import { emulateEventSourceMapping, type EmulatedEvent } from '../../../../src/runtime/emulator';
import { AWS_PAGES, awsDefaults, orders } from '../helpers';

const fail = () => {
  throw new Error('poison');
};

describe(`monitoring-metrics-types (${AWS_PAGES.metrics})`, () => {
  test('"`PolledEventCount` – The number of events that Lambda reads successfully from the event source. If Lambda polls for events but receives an empty poll (no new records), Lambda emits a 0 value for this metric. Use this metric to detect whether your event source mapping is correctly polling for new events."', async () => {
    // Every record read counts once, whatever happens to it next (filtered out, failed, retried).
    const trace = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ retryAttempts: 1, filters: [{ dynamodb: { Keys: { orderId: { S: ['o0', 'o1'] } } } }] }),
      handler: fail,
    });
    expect(trace.metrics.polledEvents).toBe(3);
    const empty = await emulateEventSourceMapping({ records: [], config: awsDefaults(), handler: () => undefined });
    expect(empty.metrics.polledEvents).toBe(0);
  });

  test('"`FilteredOutEventCount` – For event source mapping with a filter criteria, the number of events filtered out by that filter criteria. Use this metric to detect whether your event source mapping is properly filtering out events. For events that match the filter criteria, Lambda emits a 0 metric."', async () => {
    const filtered = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ filters: [{ dynamodb: { Keys: { orderId: { S: ['o1'] } } } }] }),
      handler: () => undefined,
    });
    expect(filtered.metrics).toMatchObject({ filteredOutEvents: 2, invokedEvents: 1 });
    const matching = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ filters: [{ eventName: ['INSERT'] }] }),
      handler: () => undefined,
    });
    expect(matching.metrics.filteredOutEvents).toBe(0);
  });

  test('"`InvokedEventCount` – The number of events that invoked your Lambda function. Use this metric to verify that events are properly invoking your function. If an event results in a function error or throttling, `InvokedEventCount` may count multiple times for the same polled event due to automatic retries."', async () => {
    const ok = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults(), handler: () => undefined });
    expect(ok.metrics).toMatchObject({ polledEvents: 3, invokedEvents: 3 });
    // "Lambda event source mappings process each event at least once ... events may be counted multiple times"
    const retried = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults({ retryAttempts: 1 }), handler: fail });
    expect(retried.metrics).toMatchObject({ polledEvents: 3, invocations: 2, invokedEvents: 6 });
  });

  test('"`FailedInvokeEventCount` – The number of events that Lambda tried to invoke your function with, but failed. Invocations can fail due to reasons such as network configuration issues, incorrect permissions, or a deleted Lambda function, version, or alias. If your event source mapping has partial batch responses enabled, `FailedInvokeEventCount` includes any event with a non-empty `BatchItemFailures` in the response."', async () => {
    // Our reading: a function error fails the invocation too (the emulator has no network or permission failures),
    // and "any event with a non-empty BatchItemFailures in the response" is every record of that invocation.
    const thrown = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults({ retryAttempts: 1 }), handler: fail });
    expect(thrown.metrics.failedInvokeEvents).toBe(6);

    let first = true;
    const reportsThirdOnce = (event: EmulatedEvent) => {
      if (!first) return undefined;
      first = false;
      return { batchItemFailures: [{ itemIdentifier: event.Records[2].dynamodb.SequenceNumber }] };
    };
    const withReports = awsDefaults({ reportBatchItemFailures: true });
    const partial = await emulateEventSourceMapping({ records: orders(3), config: withReports, handler: reportsThirdOnce });
    expect(partial.metrics).toMatchObject({ invocations: 2, invokedEvents: 4, failedInvokeEvents: 3 });

    // Partial batch responses not enabled: the same response is not read, nothing failed.
    first = true;
    const ignored = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults(), handler: reportsThirdOnce });
    expect(ignored.metrics).toMatchObject({ invocations: 1, failedInvokeEvents: 0 });
  });

  test('"`DroppedEventCount` – The number of events that Lambda dropped due to expiry or retry exhaustion. Specifically, this is the number of records that exceed your configured values for `MaximumRecordAgeInSeconds` or `MaximumRetryAttempts`. Importantly, this doesn\'t include the number of records that expire due to exceeding your event source\'s retention settings. Dropped events also excludes events that you send to an on-failure destination. Use this metric to detect an increasing backlog of events."', async () => {
    // Retry exhaustion: dropped only without a destination.
    for (const failureDestination of ['SQS', 'SNS', 'S3'] as const) {
      const config = awsDefaults({ retryAttempts: 1, failureDestination });
      const sent = await emulateEventSourceMapping({ records: orders(3), config, handler: fail });
      const counters = { failureDestination, ...sent.metrics };
      expect(counters).toMatchObject({ failureDestination, droppedEvents: 0, deliveredToDestinationEvents: 3 });
    }
    const none = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults({ retryAttempts: 1, failureDestination: 'NONE' }), handler: fail });
    expect(none.metrics).toMatchObject({ droppedEvents: 3, deliveredToDestinationEvents: 0 });
    expect(none.failures.map((f) => f.condition)).toEqual(['RetryAttemptsExhausted']);

    // Expiry by MaximumRecordAgeInSeconds (60 s, retried every 20 s): dropped without a destination.
    const aged = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ maxRecordAgeSeconds: 60, failureDestination: 'NONE' }),
      handler: fail,
      retryBackoffMs: () => 20_000,
    });
    expect(aged.metrics).toMatchObject({ droppedEvents: 3, trimmedEvents: 0 });
    expect(aged.failures.map((f) => f.condition)).toEqual(['RecordAgeExceeded']);

    // Past the stream's retention (here 1 h): not dropped, though lost (the emulator's own trimmedEvents).
    const trimmed = await emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ failureDestination: 'NONE' }),
      handler: fail,
      streamRetentionHours: 1,
      retryBackoffMs: () => 600_000,
    });
    expect(trimmed.metrics).toMatchObject({ droppedEvents: 0, deliveredToDestinationEvents: 0, trimmedEvents: 3 });
  });

  test('"`OnFailureDestinationDeliveredEventCount` – For event source mappings with an on-failure destination configured, the number of events sent to that destination. Use this metric to monitor for function errors related to invocations from this event source. If delivery to the destination fails, Lambda handles metrics as follows: Lambda doesn\'t emit the `OnFailureDestinationDeliveredEventCount` metric. For the `DestinationDeliveryFailures` metric, Lambda emits a 1. For the `DroppedEventCount` metric, Lambda emits a number equal to the number of events that failed delivery."', async () => {
    const sent = await emulateEventSourceMapping({ records: orders(3), config: awsDefaults({ retryAttempts: 0, failureDestination: 'SQS' }), handler: fail });
    expect(sent.metrics).toMatchObject({ deliveredToDestinationEvents: 3, droppedEvents: 0 });
    expect(sent.failures.reduce((n, f) => n + f.records.length, 0)).toBe(3);
    // Our limit: deliveries do not fail in the emulator. A throwing onFailure (the local runner's failure file
    // could not be written) stops the emulation rather than counting the records as sent.
    const broken = emulateEventSourceMapping({
      records: orders(3),
      config: awsDefaults({ retryAttempts: 0, failureDestination: 'SQS' }),
      handler: fail,
      onFailure: () => {
        throw new Error('disk full');
      },
    });
    await expect(broken).rejects.toThrow('disk full');
  });
});
