export * from './component';
export * from './deployment';
export * from './rollout';
export * from './stream-manager';
