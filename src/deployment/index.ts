export * from './target';
export * from './deployment-target';
export * from './component-options';
export * from './iot-job';
export * from './policies';
export * from './deployment';
