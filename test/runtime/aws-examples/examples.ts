/**
 * AWS's own documented examples, copied verbatim (text as the page shows it, whitespace included where the copy
 * kept it), each named with its page. They are fixtures: our readers must read them, and our writers must write
 * the same shape. Nothing here is ours; where a test has to fill a placeholder of the page (`<Whole Event>`,
 * `<SequenceNumber>`), it says so and fills it with another AWS example.
 */

export const PAGES = {
  dynamodbErrors: 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html',
  withDdb: 'https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html',
  batchFailureReporting: 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html',
  snsHttpNotification: 'https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html',
  metrics: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
} as const;

/** services-dynamodb-errors, "Example Amazon SNS and Amazon SQS invocation record". */
export const SQS_SNS_INVOCATION_RECORD = `{
    "requestContext": {
        "requestId": "316aa6d0-8154-xmpl-9af7-85d5f4a6bc81",
        "functionArn": "arn:aws:lambda:us-east-2:123456789012:function:myfunction",
        "condition": "RetryAttemptsExhausted",
        "approximateInvokeCount": 1
    },
    "responseContext": {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled"
    },
    "version": "1.0",
    "timestamp": "2019-11-14T00:13:49.717Z",
    "DDBStreamBatchInfo": {
        "shardId": "shardId-00000001573689847184-864758bb",
        "startSequenceNumber": "800000000003126276362",
        "endSequenceNumber": "800000000003126276362",
        "approximateArrivalOfFirstRecord": "2019-11-14T00:13:19Z",
        "approximateArrivalOfLastRecord": "2019-11-14T00:13:19Z",
        "batchSize": 1,
        "streamArn": "arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388"
    }
}`;

/**
 * services-dynamodb-errors, "Example Amazon S3 invocation record": "In addition to all of the fields from the
 * previous example for SQS and SNS destinations, the `payload` field contains the original invocation record as an
 * escaped JSON string." The page annotates the field with `// Only available in S3`, which is not JSON.
 */
export const S3_INVOCATION_RECORD = `{
    "requestContext": {
        "requestId": "316aa6d0-8154-xmpl-9af7-85d5f4a6bc81",
        "functionArn": "arn:aws:lambda:us-east-2:123456789012:function:myfunction",
        "condition": "RetryAttemptsExhausted",
        "approximateInvokeCount": 1
    },
    "responseContext": {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled"
    },
    "version": "1.0",
    "timestamp": "2019-11-14T00:13:49.717Z",
    "DDBStreamBatchInfo": {
        "shardId": "shardId-00000001573689847184-864758bb",
        "startSequenceNumber": "800000000003126276362",
        "endSequenceNumber": "800000000003126276362",
        "approximateArrivalOfFirstRecord": "2019-11-14T00:13:19Z",
        "approximateArrivalOfLastRecord": "2019-11-14T00:13:19Z",
        "batchSize": 1,
        "streamArn": "arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388"
    },
    "payload": "<Whole Event>" // Only available in S3
}`;

/** The page's annotation, removed to make the S3 example JSON (the only change made to it). */
export const S3_EXAMPLE_ANNOTATION = ' // Only available in S3';

/** services-dynamodb-errors: "The S3 object containing the invocation record uses the following naming convention:" */
export const S3_OBJECT_KEY_CONVENTION = 'aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>';

/** with-ddb, "Example event" (the English page; the translated pages leave the ARNs unquoted). */
export const DYNAMODB_STREAM_EVENT = '{ "Records": [ { "eventID": "1", "eventVersion": "1.0", "dynamodb": { "Keys": { "Id": { "N": "101" } }, "NewImage": { "Message": { "S": "New item!" }, "Id": { "N": "101" } }, "StreamViewType": "NEW_AND_OLD_IMAGES", "SequenceNumber": "111", "SizeBytes": 26 }, "awsRegion": "us-west-2", "eventName": "INSERT", "eventSourceARN": "arn:aws:dynamodb:us-east-2:123456789012:table/my-table/stream/2024-06-10T19:26:16.525", "eventSource": "aws:dynamodb" }, { "eventID": "2", "eventVersion": "1.0", "dynamodb": { "OldImage": { "Message": { "S": "New item!" }, "Id": { "N": "101" } }, "SequenceNumber": "222", "Keys": { "Id": { "N": "101" } }, "SizeBytes": 59, "NewImage": { "Message": { "S": "This item has changed" }, "Id": { "N": "101" } }, "StreamViewType": "NEW_AND_OLD_IMAGES" }, "awsRegion": "us-west-2", "eventName": "MODIFY", "eventSourceARN": "arn:aws:dynamodb:us-east-2:123456789012:table/my-table/stream/2024-06-10T19:26:16.525", "eventSource": "aws:dynamodb" } ]}';

/** services-ddb-batchfailurereporting, "Report syntax": "The following JSON structure shows the required response syntax:" */
export const BATCH_ITEM_FAILURES_RESPONSE = `{ 
  "batchItemFailures": [ 
        {
            "itemIdentifier": "<SequenceNumber>"
        }
    ]
}`;

/**
 * SNS developer guide, "HTTP/HTTPS notification JSON format": the body of its example `Notification` message. An
 * SNS destination's message reaches an SQS subscription (without raw message delivery) in this envelope, the
 * on-failure record as its `Message` string.
 */
export const SNS_NOTIFICATION = `{
  "Type" : "Notification",
  "MessageId" : "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  "TopicArn" : "arn:aws:sns:us-west-2:123456789012:MyTopic",
  "Subject" : "My First Message",
  "Message" : "Hello world!",
  "Timestamp" : "2012-05-02T00:54:06.655Z",
  "SignatureVersion" : "1",
  "Signature" : "EXAMPLEw6JRNwm1LFQL4ICB0bnXrdB8ClRMTQFGBqwLpGbM78tJ4etTwC5zU7O3tS6tGpey3ejedNdOJ+1fkIp9F2/LmNVKb5aFlYq+9rk9ZiPph5YlLmWsDcyC5T+Sy9/umic5S0UQc2PEtgdpVBahwNOdMW4JPwk0kAJJztnc=",
  "SigningCertURL" : "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
  "UnsubscribeURL" : "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96"
}`;

/** AWS's S3 example made JSON (annotation removed) with `<Whole Event>` filled by AWS's DynamoDB stream event. */
export function s3RecordWithWholeEvent(event: string = DYNAMODB_STREAM_EVENT): string {
  const json = S3_INVOCATION_RECORD.replace(S3_EXAMPLE_ANNOTATION, '');
  // The payload is the event as an escaped JSON string: JSON.stringify of its text writes exactly that.
  return json.replace('"<Whole Event>"', JSON.stringify(event));
}
