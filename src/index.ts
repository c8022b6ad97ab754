export * from './component';
export * from './deployment';
