export * from './component';
export * from './deployment';
export * from './deployment/completion';
export * from './rollout';
export * from './stream-manager';
export * from './core-device';
export * from './custom-resources';
export * from './detector';
