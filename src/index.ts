export * from './project/ddb-stream-app';
export * from './project/enums';
export * from './project/options';
export * from './project/changes/acknowledgement-options';
