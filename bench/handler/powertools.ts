// The same logic on Powertools' BatchProcessor, sequential, with `unmarshall` from @aws-sdk/util-dynamodb.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

type Image = Parameters<typeof unmarshall>[0];

export const seen = { count: 0, total: 0 };

const processor = new BatchProcessor(EventType.DynamoDBStreams);

function recordHandler(record: DynamoDBRecord): void {
  const stream = record.dynamodb!;
  unmarshall(stream.Keys as Image);
  const newImage = stream.NewImage ? unmarshall(stream.NewImage as Image) : undefined;
  const oldImage = stream.OldImage ? unmarshall(stream.OldImage as Image) : undefined;
  seen.count++;
  switch (record.eventName) {
    case 'INSERT':
      seen.total += Number(newImage!.total);
      break;
    case 'MODIFY':
      seen.total += Number(newImage!.total) - Number(oldImage!.total);
      break;
    case 'REMOVE':
      seen.total -= Number(oldImage!.total);
      break;
  }
}

export const handler = async (event: DynamoDBStreamEvent) =>
  processPartialResponse(event, recordHandler, processor, { processInParallel: false });
