export * from './core-device-ref';
export * from './core-device';
export * from './fleet';
export * from './certificate';
export * from './mqtt-topic-access';
export * from './token-exchange-role';
export * from './fleet-provisioning';
export * from './pre-provisioning-hook';
