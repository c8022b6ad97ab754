export * from './timer-and-variable-actions';
export * from './external-actions';
