export * from './service-role';
export * from './connectivity-info';
export * from './client-devices';
export * from './thing-group-membership';
export * from './iot-endpoints';
