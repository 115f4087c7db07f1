// The poison-pill comparison, asserted; the same figures are in docs/emulator.md. Our outputs, not AWS facts:
// the counts follow from our retry backoff, a choice where AWS is silent.
import { poisonPillTable } from './poison-pill';

test('poison pill, an illustration of our choices (our backoff drives the counts; docs/emulator.md): our defaults isolate a poison record within minutes; AWS defaults block the shard for a day and lose what follows', async () => {
  const [oursThrows, oursReports, awsThrows, awsReports] = await poisonPillTable();
  expect(oursThrows).toMatchObject({ invocationsUntilShardMovesOn: 15, deliveredToDestination: 1, lost: 0, recordsReprocessed: 99 });
  expect(oursReports).toMatchObject({ invocationsUntilShardMovesOn: 8, deliveredToDestination: 1, lost: 0, recordsReprocessed: 49 });
  expect(awsThrows).toMatchObject({ invocationsUntilShardMovesOn: 1446, deliveredToDestination: 0, lost: 200 });
  expect(awsThrows.hoursBlocked).toBeGreaterThan(23.9);
  // With ReportBatchItemFailures off the report is ignored: the poison record passes as a success.
  expect(awsReports).toMatchObject({ invocationsUntilShardMovesOn: 2, deliveredToDestination: 0, lost: 0 });
});
