export * from './component';
export * from './deployment';
export * from './stream-manager';
