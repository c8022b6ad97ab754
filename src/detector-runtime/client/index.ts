export * from './detector-data-client';
