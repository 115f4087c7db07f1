// Our own enums rather than aws-cdk-lib's: `.projenrc.ts` must not need aws-cdk-lib, and the values are exactly
// what the generated code and the emulator use.

/** The type of a key or declared attribute. */
export enum AttributeType {
  /** String (`S`). */
  STRING = 'S',
  /** Number (`N`). */
  NUMBER = 'N',
  /** Binary (`B`). */
  BINARY = 'B',
  /** Boolean (`BOOL`); for declared attributes, not keys. */
  BOOLEAN = 'BOOL',
}

/** What each stream record carries about the changed item. */
export enum StreamViewType {
  /** Only the key attributes. */
  KEYS_ONLY = 'KEYS_ONLY',
  /** The item as it is after the change. */
  NEW_IMAGE = 'NEW_IMAGE',
  /** The item as it was before the change. */
  OLD_IMAGE = 'OLD_IMAGE',
  /** Both images. */
  NEW_AND_OLD_IMAGES = 'NEW_AND_OLD_IMAGES',
}

/** Where a new event source mapping starts reading the stream. */
export enum StartingPosition {
  /** The oldest record still in the stream (up to 24 hours back). */
  TRIM_HORIZON = 'TRIM_HORIZON',
  /** Only records written after the mapping is created. */
  LATEST = 'LATEST',
}

/** Where the event source mapping sends the description of a batch it gave up on. */
export enum FailureDestination {
  /** An encrypted SQS queue (metadata only: shard and sequence range). */
  SQS = 'SQS',
  /** An encrypted SNS topic (metadata only). */
  SNS = 'SNS',
  /** An encrypted S3 bucket (metadata and the records themselves). */
  S3 = 'S3',
  /** Nowhere: discarded records are lost. */
  NONE = 'NONE',
}

/** The CPU architecture of the consumer function. */
export enum FunctionArchitecture {
  /** Graviton; cheaper per millisecond. */
  ARM_64 = 'arm64',
  /** x86-64. */
  X86_64 = 'x86_64',
}

/**
 * The Node.js runtime of a consumer's function, limited to the runtimes the aws-cdk-lib this project pins knows
 * (`cdkVersion`): NODEJS_26_X needs aws-cdk-lib 2.277.0 or later.
 */
export enum NodejsRuntime {
  /** Node.js 22 (`nodejs22.x`). */
  NODEJS_22_X = 'nodejs22.x',
  /** Node.js 24 (`nodejs24.x`). */
  NODEJS_24_X = 'nodejs24.x',
  /** Node.js 26 (`nodejs26.x`); aws-cdk-lib 2.277.0 or later. */
  NODEJS_26_X = 'nodejs26.x',
}
