export * from './project/ddb-stream-app';
export * from './project/options/enums';
export * from './project/options/options';
export * from './project/options/acknowledgement-options';
