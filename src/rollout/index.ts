export * from './job-execution-status';
export * from './execution-duration';
export * from './fleet';
export * from './simulation-policy';
export * from './rollout-simulator';
export * from './rollout-chart';
