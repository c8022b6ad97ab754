export * from './stream-definition';
export * from './exports';
export * from './stream-set';
export * from './stream-provisioner';
