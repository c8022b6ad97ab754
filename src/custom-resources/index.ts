export * from './service-role';
export * from './connectivity-info';
export * from './client-devices';
export * from './thing-group-membership';
export * from './iot-endpoints';
// What the README documents; the validation helpers of the module stay internal.
export { GeneratedCertificate, GeneratedCertificateProps } from './certificate';
