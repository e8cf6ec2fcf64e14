export * from './columns';
export * from './reader';
export * from './template';
export * from './writer';
