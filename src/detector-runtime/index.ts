export * from './detector-runtime';
export * from './detector-input';
export * from './detector-model';
export * from './detector-seed';
