import {
  CreateKeysAndCertificateCommand, DeleteCertificateCommand, DescribeCertificateCommand, DetachThingPrincipalCommand, IoTClient,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler, secretNameFor } from '../../../src/custom-resources/certificate/certificate.lambda';
import { handlerLogs, handlerLogText } from '../../handler-logs';
import { awsError, createEvent, deleteEvent, expectShortReason, failure, noSleep, updateEvent } from '../events';

const iot = mockClient(IoTClient);
const sm = mockClient(SecretsManagerClient);
const onEvent = createHandler(noSleep);

const CERT_ID = 'a'.repeat(64);
const CERT_ARN = `arn:aws:iot:eu-west-1:111111111111:cert/${CERT_ID}`;
const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretsecret\n-----END RSA PRIVATE KEY-----\n';
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIDcert\n-----END CERTIFICATE-----\n';
const props = { ThingName: 'core-1', SecretNamePrefix: 'greengrass/core-1/certificate-', KmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:greengrass/core-1/certificate-x-AbCdEf';

beforeEach(() => {
  iot.reset();
  sm.reset();
});

function freshAccount() {
  sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
  iot.on(CreateKeysAndCertificateCommand).resolves({
    certificateId: CERT_ID,
    certificateArn: CERT_ARN,
    certificatePem: CERT_PEM,
    keyPair: { PrivateKey: PRIVATE_KEY, PublicKey: '-----BEGIN PUBLIC KEY-----\nMIIpub\n-----END PUBLIC KEY-----' },
  });
  sm.on(CreateSecretCommand).resolves({ ARN: SECRET_ARN });
  iot.on(UpdateCertificateCommand).resolves({});
}

function existingSecret() {
  sm.on(DescribeSecretCommand).resolves({
    ARN: SECRET_ARN,
    Tags: [{ Key: 'greengrass:certificateId', Value: CERT_ID }, { Key: 'greengrass:certificateArn', Value: CERT_ARN }],
  });
  iot.on(DescribeCertificateCommand).resolves({ certificateDescription: { status: 'ACTIVE' } });
}

const expectedData = { CertificateId: CERT_ID, CertificateArn: CERT_ARN, SecretArn: SECRET_ARN };

test('create stores the key in an encrypted secret, activates the certificate, returns identifiers only', async () => {
  freshAccount();
  const event = createEvent(props);
  const res = await onEvent(event);
  expect(res).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
  expect(JSON.stringify(res)).not.toContain('PRIVATE KEY');

  expect(iot.commandCalls(CreateKeysAndCertificateCommand)[0].args[0].input).toEqual({ setAsActive: false });
  const secret = sm.commandCalls(CreateSecretCommand)[0].args[0].input;
  expect(secret.Name).toBe(secretNameFor(event));
  expect(secret.Name).toMatch(/^greengrass\/core-1\/certificate-[0-9a-f]{16}$/);
  expect(secret.KmsKeyId).toBe(props.KmsKeyArn);
  expect(JSON.parse(secret.SecretString!)).toEqual({ certificatePem: CERT_PEM, privateKey: PRIVATE_KEY });
  expect(secret.Tags).toEqual([
    { Key: 'greengrass:certificateId', Value: CERT_ID },
    { Key: 'greengrass:certificateArn', Value: CERT_ARN },
    { Key: 'greengrass:thingName', Value: 'core-1' },
  ]);
  expect(iot.commandCalls(UpdateCertificateCommand)[0].args[0].input).toEqual({ certificateId: CERT_ID, newStatus: 'ACTIVE' });
});

test('the private key never reaches the logs', async () => {
  freshAccount();
  await onEvent(createEvent(props));
  expect(handlerLogs().map((l) => l.entry.handler)).toContain('certificate');
  const all = handlerLogText();
  expect(all).not.toContain('MIIEsecretsecret');
  expect(all).not.toContain('PRIVATE KEY');
});

test('a replayed create finds its secret and creates no second certificate', async () => {
  existingSecret();
  expect(await onEvent(createEvent(props))).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
  expect(iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(0);
  expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  expect(iot.commandCalls(UpdateCertificateCommand)).toHaveLength(0);
});

test('a replay after a crash between storing and activating activates the certificate', async () => {
  existingSecret();
  iot.on(DescribeCertificateCommand).resolves({ certificateDescription: { status: 'INACTIVE' } });
  iot.on(UpdateCertificateCommand).resolves({});
  await onEvent(createEvent(props));
  expect(iot.commandCalls(UpdateCertificateCommand)[0].args[0].input).toEqual({ certificateId: CERT_ID, newStatus: 'ACTIVE' });
});

test('an update with unchanged properties only reads, and returns the same attributes', async () => {
  existingSecret();
  const res = await onEvent(updateEvent(props, props, CERT_ID));
  expect(res).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
  expect(sm.commandCalls(DescribeSecretCommand)[0].args[0].input).toEqual({ SecretId: secretNameFor(createEvent(props)) });
  expect(iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(0);
});

test('a rollback update maps back to the original certificate', async () => {
  // Forward update changed the KMS key (new certificate); the rollback sends the original properties.
  const changed = { ...props, KmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/other' };
  expect(secretNameFor(updateEvent(changed, props, CERT_ID))).not.toBe(secretNameFor(createEvent(props)));
  const rollback = updateEvent(props, changed, 'b'.repeat(64), 'req-rollback');
  expect(secretNameFor(rollback)).toBe(secretNameFor(createEvent(props)));
  existingSecret();
  expect(await onEvent(rollback)).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
  expect(iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(0);
});

test('when the secret cannot be stored, the certificate is removed and the reason is short', async () => {
  freshAccount();
  sm.on(CreateSecretCommand).rejects(awsError('AccessDeniedException', `not allowed ${'x'.repeat(20_000)}`));
  iot.on(DetachThingPrincipalCommand).resolves({});
  iot.on(DeleteCertificateCommand).resolves({});
  const err = await failure(onEvent(createEvent(props)));
  expect(err.message.startsWith('AccessDeniedException: not allowed')).toBe(true);
  expectShortReason(err);
  expect(iot.commandCalls(DeleteCertificateCommand)[0].args[0].input).toEqual({ certificateId: CERT_ID, forceDelete: true });
});

test('create retries throttled IoT calls', async () => {
  freshAccount();
  iot.on(CreateKeysAndCertificateCommand)
    .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
    .resolves({ certificateId: CERT_ID, certificateArn: CERT_ARN, certificatePem: CERT_PEM, keyPair: { PrivateKey: PRIVATE_KEY } });
  await onEvent(createEvent(props));
  expect(iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(2);
  expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
});

test('delete detaches, deactivates and deletes the certificate, then the secret', async () => {
  iot.on(DetachThingPrincipalCommand).resolves({});
  iot.on(UpdateCertificateCommand).resolves({});
  iot.on(DeleteCertificateCommand).rejectsOnce(awsError('DeleteConflictException', 'still attached')).resolves({});
  sm.on(DeleteSecretCommand).resolves({});
  await onEvent(deleteEvent(props, CERT_ID));
  expect(iot.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
    ['DetachThingPrincipalCommand', { thingName: 'core-1', principal: CERT_ARN }],
    ['UpdateCertificateCommand', { certificateId: CERT_ID, newStatus: 'INACTIVE' }],
    ['DeleteCertificateCommand', { certificateId: CERT_ID, forceDelete: true }],
    ['DeleteCertificateCommand', { certificateId: CERT_ID, forceDelete: true }],
  ]);
  expect(sm.commandCalls(DeleteSecretCommand)[0].args[0].input).toEqual({
    SecretId: secretNameFor(createEvent(props)),
    ForceDeleteWithoutRecovery: true,
  });
});

test('delete succeeds when everything is already gone (ResourceNotFound)', async () => {
  iot.on(DetachThingPrincipalCommand).rejects(awsError('ResourceNotFoundException'));
  iot.on(UpdateCertificateCommand).rejects(awsError('ResourceNotFoundException'));
  iot.on(DeleteCertificateCommand).rejects(awsError('ResourceNotFoundException'));
  sm.on(DeleteSecretCommand).rejects(awsError('ResourceNotFoundException'));
  await expect(onEvent(deleteEvent(props, CERT_ID))).resolves.toEqual({ PhysicalResourceId: CERT_ID });
});

test('delete with a physical id that is not a certificate id and no secret only cleans the secret', async () => {
  sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
  sm.on(DeleteSecretCommand).resolves({});
  await onEvent(deleteEvent(props, 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'));
  expect(iot.calls()).toHaveLength(0);
  expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(1);
});

test('delete with a physical id that is not a certificate id finds the certificate from the secret tags', async () => {
  existingSecret();
  iot.on(DetachThingPrincipalCommand).resolves({});
  iot.on(UpdateCertificateCommand).resolves({});
  iot.on(DeleteCertificateCommand).resolves({});
  sm.on(DeleteSecretCommand).resolves({});
  await onEvent(deleteEvent(props, 'req-1'));
  expect(iot.commandCalls(DeleteCertificateCommand).map((c) => c.args[0].input)).toEqual([{ certificateId: CERT_ID, forceDelete: true }]);
  expect(sm.commandCalls(DeleteSecretCommand)[0].args[0].input)
    .toEqual({ SecretId: secretNameFor(createEvent(props)), ForceDeleteWithoutRecovery: true });
});

test('when activation fails after the key is stored, the certificate and the secret are removed (no Delete follows a failed Create)', async () => {
  freshAccount();
  iot.on(UpdateCertificateCommand, { newStatus: 'ACTIVE' }).rejects(awsError('ThrottlingException', 'Rate exceeded'));
  iot.on(UpdateCertificateCommand, { newStatus: 'INACTIVE' }).resolves({});
  iot.on(DetachThingPrincipalCommand).resolves({});
  iot.on(DeleteCertificateCommand).resolves({});
  sm.on(DeleteSecretCommand).resolves({});
  const event = createEvent(props);
  const err = await failure(onEvent(event));
  expect(err.message).toBe('ThrottlingException: Rate exceeded');
  expectShortReason(err);
  // 8 attempts to activate, then the cleanup.
  expect(iot.commandCalls(UpdateCertificateCommand, { newStatus: 'ACTIVE' })).toHaveLength(8);
  expect(iot.commandCalls(DeleteCertificateCommand).map((c) => c.args[0].input)).toEqual([{ certificateId: CERT_ID, forceDelete: true }]);
  expect(sm.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input))
    .toEqual([{ SecretId: secretNameFor(event), ForceDeleteWithoutRecovery: true }]);
});

test('a secret of the same name still being deleted is waited for before creating the certificate', async () => {
  freshAccount();
  sm.on(DescribeSecretCommand)
    .resolvesOnce({ ARN: SECRET_ARN, DeletedDate: new Date(), Tags: [] })
    .rejects(awsError('ResourceNotFoundException'));
  sm.on(CreateSecretCommand)
    .rejectsOnce(awsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion."))
    .resolves({ ARN: SECRET_ARN });
  expect(await onEvent(createEvent(props))).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
  expect(sm.commandCalls(DescribeSecretCommand)).toHaveLength(2);
  expect(iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(1);
  expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(2);
});

test('fails with what to do when the secret stays scheduled for deletion, without creating a certificate', async () => {
  sm.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, DeletedDate: new Date(), Tags: [] });
  const event = createEvent(props);
  const err = await failure(onEvent(event));
  expect(err.message).toBe(`SecretPendingDeletion: secret ${secretNameFor(event)} is scheduled for deletion: wait for Secrets Manager to purge it, or restore it (aws secretsmanager restore-secret) or delete it without recovery (--force-delete-without-recovery), then retry`);
  expectShortReason(err);
  expect(iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(0);
});
