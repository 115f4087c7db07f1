/**
 * What the generated stack outputs for a redrive of the deployed failure destinations, and the runbook's commands
 * that read those outputs. The names are made here, once, so the stack (`templates/app/src/generated/stack.ts.hbs`)
 * and the README (`templates/app/README.md.hbs`) cannot disagree about them.
 *
 * Each output sits directly under the stack, so its logical id, the `OutputKey` that `aws cloudformation
 * describe-stacks` answers, is its construct id as written: no hash, stable across synths and CDK versions. None is
 * exported: an export would let another stack depend on it and block a rename of the consumer.
 */
import type { ConsumerConfig } from '../../runtime/config';

export interface StackOutputView {
  /** The output's logical id and OutputKey: `<Consumer>FailureQueueUrl`. */
  readonly id: string;
  /** A property of the consumer's construct, e.g. `failureQueue.queueUrl`. */
  readonly value: string;
  readonly description: string;
}

export interface RedriveView {
  readonly outputs: readonly StackOutputView[];
  /**
   * The output holding the consumer's deployed function name, for `--target lambda --function`; false for a
   * tumbling-window consumer, which redrive refuses to invoke (a failure message carries no window state).
   */
  readonly functionOutput: string | false;
  /** The output the runbook's redrive command reads its source from; false without a destination. */
  readonly sourceOutput: string | false;
}

export function redriveView(c: ConsumerConfig, pascal: string): RedriveView {
  const output = (suffix: string, value: string, description: string): StackOutputView => ({ id: `${pascal}${suffix}`, value, description });
  const fn = output('FunctionName', 'function.functionName', `The ${c.name} consumer's function: redrive --target lambda --function invokes it with the failed batches.`);
  const destination: Record<ConsumerConfig['failureDestination'], StackOutputView[]> = {
    SQS: [
      output('FailureQueueUrl', 'failureQueue.queueUrl', `Where the ${c.name} mapping sends the batches it gives up on: redrive --sqs reads this queue URL.`),
      output('FailureQueueArn', 'failureQueue.queueArn', `The ARN of the ${c.name} failure queue, for IAM policies and alarms.`),
    ],
    SNS: [
      output(
        'FailureTopicArn',
        'failureTopic.topicArn',
        `Where the ${c.name} mapping publishes the batches it gives up on; a topic keeps nothing: redrive reads an SQS queue subscribed to it.`,
      ),
    ],
    S3: [
      output(
        'FailureBucketName',
        'failureBucket.bucketName',
        `Where the ${c.name} mapping writes the batches it gives up on, under aws/lambda/: redrive --s3 s3://<this bucket>/aws/lambda/ reads them.`,
      ),
    ],
    NONE: [],
  };
  const outputs = destination[c.failureDestination];
  const invokable = outputs.length > 0 && c.tumblingWindowSeconds === 0;
  return {
    outputs: invokable ? [fn, ...outputs] : outputs,
    functionOutput: invokable ? fn.id : false,
    sourceOutput: outputs[0]?.id ?? false,
  };
}
