export * from './deployment-completion';
