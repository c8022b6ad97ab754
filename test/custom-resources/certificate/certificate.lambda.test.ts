import { createPublicKey, createPrivateKey } from 'crypto';
import {
  CreateCertificateFromCsrCommand, DeleteCertificateCommand, DetachThingPrincipalCommand, IoTClient, UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, ListSecretsCommand, SecretsManagerClient, TagResourceCommand, UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as forge from 'node-forge';
import { createHandler, legacySecretNameFor, newKeyAndCsr, ownerOf, secretNameFor } from '../../../src/custom-resources/certificate/certificate.lambda';
import { handlerLogs } from '../../handler-logs';
import { awsError, createEvent, deleteEvent, expectShortReason, failure, noSleep, STACK_ID, updateEvent } from '../events';

const iot = mockClient(IoTClient);
const sm = mockClient(SecretsManagerClient);
const onEvent = createHandler(noSleep);

const CERT_ID = 'a'.repeat(64);
const CERT_ARN = `arn:aws:iot:eu-west-1:111111111111:cert/${CERT_ID}`;
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIDcert\n-----END CERTIFICATE-----\n';
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k';
const props = { ThingName: 'core-1', SecretNamePrefix: 'greengrass/core-1/certificate-', KmsKeyArn: KEY, Rotation: '0', RemovalPolicy: 'retain' };
const destroyProps = { ...props, RemovalPolicy: 'destroy', RecoveryWindowInDays: '14' };
const SECRET_NAME = 'greengrass/core-1/certificate-r0';
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${SECRET_NAME}-AbCdEf`;
const OWNER = ownerOf({ StackId: STACK_ID, LogicalResourceId: 'Res' });

/** The lines the handler logged in this test (captured by test/setup-env.ts). */
function logged(): string[] {
  return handlerLogs().map((l) => l.line);
}
beforeEach(() => {
  iot.reset();
  sm.reset();
});

function freshAccount() {
  sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
  iot.on(CreateCertificateFromCsrCommand).resolves({ certificateId: CERT_ID, certificateArn: CERT_ARN, certificatePem: CERT_PEM });
  sm.on(CreateSecretCommand).resolves({ ARN: SECRET_ARN });
}

function stored(extra: Record<string, unknown> = {}, tags: Record<string, string> = {}) {
  const t = { 'greengrass:certificateId': CERT_ID, 'greengrass:certificateArn': CERT_ARN, 'greengrass:thingName': 'core-1', 'greengrass:owner': OWNER, 'greengrass:stackId': STACK_ID, ...tags };
  return { ARN: SECRET_ARN, Name: SECRET_NAME, KmsKeyId: KEY, Tags: Object.entries(t).map(([Key, Value]) => ({ Key, Value })), ...extra };
}

const expectedData = { CertificateId: CERT_ID, CertificateArn: CERT_ARN, SecretArn: SECRET_ARN };
const names = (client: typeof iot | typeof sm) => client.calls().map((c) => c.args[0].constructor.name);

describe('create', () => {
  test('generates the key pair and CSR, has IoT sign it, stores key and certificate in one tagged secret', async () => {
    freshAccount();
    const event = createEvent(props);
    const res = await onEvent(event);
    expect(res).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
    expect(JSON.stringify(res)).not.toContain('PRIVATE KEY');

    const csrInput = iot.commandCalls(CreateCertificateFromCsrCommand)[0].args[0].input;
    expect(csrInput.setAsActive).toBe(true);
    const csr = forge.pki.certificationRequestFromPem(csrInput.certificateSigningRequest!);
    expect(csr.verify()).toBe(true);
    expect(csr.subject.getField('CN').value).toBe('core-1');

    const secret = sm.commandCalls(CreateSecretCommand)[0].args[0].input;
    expect(secret.Name).toBe(SECRET_NAME);
    expect(secretNameFor(event)).toBe(SECRET_NAME);
    expect(secret.KmsKeyId).toBe(KEY);
    const value = JSON.parse(secret.SecretString!);
    expect(value.certificatePem).toBe(CERT_PEM);
    // The stored key is the one the CSR was made for.
    const pub = createPublicKey(createPrivateKey(value.privateKey)).export({ type: 'spki', format: 'pem' });
    expect(forge.pki.publicKeyToPem(csr.publicKey!).replace(/\r/g, '')).toBe(String(pub));
    expect(secret.Tags).toEqual([
      { Key: 'greengrass:certificateId', Value: CERT_ID },
      { Key: 'greengrass:certificateArn', Value: CERT_ARN },
      { Key: 'greengrass:thingName', Value: 'core-1' },
      { Key: 'greengrass:owner', Value: OWNER },
      { Key: 'greengrass:stackId', Value: STACK_ID },
      { Key: 'greengrass:managedBy', Value: 'cdk-greengrass-v2' },
    ]);
    // Never a status change, never a read of a key.
    expect(iot.commandCalls(UpdateCertificateCommand)).toHaveLength(0);
    expect(names(iot)).toEqual(['CreateCertificateFromCsrCommand']);
    expect(names(sm)).toEqual(['DescribeSecretCommand', 'CreateSecretCommand']);
  });

  test('a certificate attached to no thing uses CommonName and has no thing tag', async () => {
    freshAccount();
    const { ThingName: _t, ...claim } = props;
    await onEvent(createEvent({ ...claim, SecretNamePrefix: 'greengrass/fleet-claim/certificate-', CommonName: 'fleet-claim' }));
    const csr = forge.pki.certificationRequestFromPem(iot.commandCalls(CreateCertificateFromCsrCommand)[0].args[0].input.certificateSigningRequest!);
    expect(csr.subject.getField('CN').value).toBe('fleet-claim');
    const tags = sm.commandCalls(CreateSecretCommand)[0].args[0].input.Tags!.map((t) => t.Key);
    expect(tags).not.toContain('greengrass:thingName');
  });

  test('the private key never reaches the logs', async () => {
    freshAccount();
    await onEvent(createEvent(props));
    const all = logged().join('\n');
    expect(logged().length).toBeGreaterThan(0);
    expect(all).not.toContain('PRIVATE KEY');
  });

  test('a replayed create adopts its secret and creates no second certificate, changing no status', async () => {
    sm.on(DescribeSecretCommand).resolves(stored());
    expect(await onEvent(createEvent(props))).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
    expect(iot.calls()).toHaveLength(0);
    expect(names(sm)).toEqual(['DescribeSecretCommand']);
  });

  test('a moved construct (new logical id) adopts the identity and takes ownership', async () => {
    sm.on(DescribeSecretCommand).resolves(stored());
    sm.on(TagResourceCommand).resolves({});
    const moved = createEvent(props, { LogicalResourceId: 'MovedRes' });
    expect(await onEvent(moved)).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
      SecretId: SECRET_ARN,
      Tags: [{ Key: 'greengrass:owner', Value: ownerOf(moved) }],
    });
  });

  test('fails with what to do when the secret of that name is scheduled for deletion', async () => {
    sm.on(DescribeSecretCommand).resolves(stored({ DeletedDate: new Date() }));
    const err = await failure(onEvent(createEvent(props)));
    expect(err.message).toBe(`IdentityError: secret ${SECRET_NAME} is scheduled for deletion (its certificate was deleted with RemovalPolicy destroy): restore it (aws secretsmanager restore-secret) if its certificate still exists, or increase the certificate's rotation to create a new certificate and key`);
    expect(iot.calls()).toHaveLength(0);
  });

  test('fails before creating anything when the invocation has too little time left', async () => {
    freshAccount();
    const err = await failure(onEvent(createEvent(props), { getRemainingTimeInMillis: () => 30_000 }));
    expect(err.message).toMatch(/^IdentityError: too little time left/);
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test('with time left, create proceeds', async () => {
    freshAccount();
    await onEvent(createEvent(props), { getRemainingTimeInMillis: () => 280_000 });
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(1);
  });

  test('retries stop at the invocation deadline instead of running into the Lambda timeout', async () => {
    freshAccount();
    iot.on(CreateCertificateFromCsrCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    let left = 60_000;
    const sleep = async (ms: number) => { left -= ms; };
    const handler = createHandler({ sleep, random: () => 0.99 });
    const err = await failure(handler(createEvent(props), { getRemainingTimeInMillis: () => left }));
    expect(err.message).toBe('ThrottlingException: CreateCertificateFromCsr failed: ThrottlingException');
    // Stopped with the cleanup reserve (20 s) still unspent.
    expect(left).toBeGreaterThan(20_000);
    expect(iot.commandCalls(CreateCertificateFromCsrCommand).length).toBeLessThan(8);
  });

  test('when the secret cannot be stored (retain), the orphan certificate is logged for the sweep and the error carries name and code only', async () => {
    freshAccount();
    sm.on(CreateSecretCommand).rejects(awsError('AccessDeniedException', 'not allowed to use key; request SecretString={"privateKey":"MIIEsecret"}'));
    const err = await failure(onEvent(createEvent(props)));
    expect(err.message).toBe('AccessDeniedException: CreateSecret failed: AccessDeniedException');
    expectShortReason(err);
    expect(logged().join('\n')).not.toContain('MIIEsecret');
    const orphan = logged().map((l) => JSON.parse(l)).find((l) => l.message.startsWith('orphan certificate'));
    expect(orphan).toMatchObject({ level: 'error', certificateId: CERT_ID });
    // The shared provider cannot change certificates: nothing is called on IoT after the create.
    expect(names(iot)).toEqual(['CreateCertificateFromCsrCommand']);
  });

  test('when the secret cannot be stored (destroy), the certificate is deactivated and deleted', async () => {
    freshAccount();
    sm.on(CreateSecretCommand).rejects(awsError('AccessDeniedException', 'denied'));
    iot.on(UpdateCertificateCommand).resolves({});
    iot.on(DeleteCertificateCommand).resolves({});
    await failure(onEvent(createEvent(destroyProps)));
    expect(iot.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
      ['CreateCertificateFromCsrCommand', expect.anything()],
      ['UpdateCertificateCommand', { certificateId: CERT_ID, newStatus: 'INACTIVE' }],
      ['DeleteCertificateCommand', { certificateId: CERT_ID, forceDelete: true }],
    ]);
  });

  test('an error from signing the CSR carries name and code only', async () => {
    freshAccount();
    iot.on(CreateCertificateFromCsrCommand).rejects(awsError('InvalidRequestException', 'bad csr -----BEGIN CERTIFICATE REQUEST-----x', { code: 'E42' }));
    const err = await failure(onEvent(createEvent(props)));
    expect(err.message).toBe('InvalidRequestException: CreateCertificateFromCsr failed: InvalidRequestException (code E42)');
  });

  test.each([
    [{ Rotation: '-1' }, "Rotation '-1' is not a non-negative integer"],
    [{ RemovalPolicy: 'snapshot' }, "RemovalPolicy 'snapshot' is invalid: use 'retain' or 'destroy'"],
    [{ RemovalPolicy: 'destroy', RecoveryWindowInDays: '0' }, "RecoveryWindowInDays '0' is invalid: use an integer from 7 to 30"],
    [{ RemovalPolicy: 'destroy', RecoveryWindowInDays: '31' }, "RecoveryWindowInDays '31' is invalid: use an integer from 7 to 30"],
  ])('fails on invalid properties %j', async (extra, message) => {
    const err = await failure(onEvent(createEvent({ ...props, ...extra })));
    expect(err.message).toBe(`IdentityError: ${message}`);
    expect(iot.calls()).toHaveLength(0);
  });
});

describe('update', () => {
  test('a new KMS key re-encrypts the stored key in place and keeps the certificate', async () => {
    const newKey = 'arn:aws:kms:eu-west-1:111111111111:key/new';
    sm.on(DescribeSecretCommand).resolves(stored());
    sm.on(UpdateSecretCommand).resolves({});
    const res = await onEvent(updateEvent({ ...props, KmsKeyArn: newKey }, props, CERT_ID));
    expect(res).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
    expect(sm.commandCalls(UpdateSecretCommand)[0].args[0].input).toEqual({ SecretId: SECRET_ARN, KmsKeyId: newKey });
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test('an unchanged key is not re-encrypted (the key id matches an ARN)', async () => {
    sm.on(DescribeSecretCommand).resolves(stored({ KmsKeyId: 'k' }));
    await onEvent(updateEvent(props, props, CERT_ID));
    expect(names(sm)).toEqual(['DescribeSecretCommand']);
  });

  test.each([
    ['a changed removal policy', { ...props, RemovalPolicy: 'destroy' }],
    ['a property a newer library adds', { ...props, SomethingNew: 'x' }],
    ['a new thing name', { ...props, ThingName: 'core-1b' }],
  ])('%s keeps the certificate (no create, no status change)', async (_what, next) => {
    sm.on(DescribeSecretCommand).resolves(stored());
    sm.on(TagResourceCommand).resolves({});
    expect(await onEvent(updateEvent(next, props, CERT_ID))).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test('an upgrade from the previous library version finds the old secret by its certificate tag and keeps the certificate', async () => {
    const legacyArn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:greengrass/core-1/certificate-0123456789abcdef-XyZ';
    sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    sm.on(ListSecretsCommand).resolves({
      SecretList: [{
        ARN: legacyArn,
        Name: 'greengrass/core-1/certificate-0123456789abcdef',
        Tags: [{ Key: 'greengrass:certificateId', Value: CERT_ID }, { Key: 'greengrass:certificateArn', Value: CERT_ARN }],
      }],
    });
    sm.on(UpdateSecretCommand).resolves({});
    sm.on(TagResourceCommand).resolves({});
    const legacyProps = { ThingName: 'core-1', SecretNamePrefix: 'greengrass/core-1/certificate-' };
    const res = await onEvent(updateEvent(props, legacyProps, CERT_ID));
    expect(res).toEqual({ PhysicalResourceId: CERT_ID, Data: { ...expectedData, SecretArn: legacyArn } });
    expect(sm.commandCalls(ListSecretsCommand)[0].args[0].input).toEqual({
      Filters: [{ Key: 'tag-key', Values: ['greengrass:certificateId'] }, { Key: 'tag-value', Values: [CERT_ID] }],
    });
    // From the account's aws/secretsmanager key to the stack's key, in place.
    expect(sm.commandCalls(UpdateSecretCommand)[0].args[0].input).toEqual({ SecretId: legacyArn, KmsKeyId: KEY });
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test('an upgrade finds the previous version\'s secret by its name first (no ListSecrets)', async () => {
    const legacyProps = { ThingName: 'core-1', SecretNamePrefix: 'greengrass/core-1/certificate-' };
    const event = updateEvent(props, legacyProps, CERT_ID);
    const legacyName = legacySecretNameFor(event)!;
    expect(legacyName).toMatch(/^greengrass\/core-1\/certificate-[0-9a-f]{16}$/);
    expect(legacySecretNameFor(updateEvent(props, props, CERT_ID))).toBeUndefined();
    const legacyArn = `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${legacyName}-XyZ`;
    sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    sm.on(DescribeSecretCommand, { SecretId: legacyName }).resolves(stored({ ARN: legacyArn, Name: legacyName, KmsKeyId: undefined }, { 'greengrass:owner': '' }));
    sm.on(UpdateSecretCommand).resolves({});
    sm.on(TagResourceCommand).resolves({});
    expect(await onEvent(event)).toEqual({ PhysicalResourceId: CERT_ID, Data: { ...expectedData, SecretArn: legacyArn } });
    expect(names(sm)).toEqual(['DescribeSecretCommand', 'DescribeSecretCommand', 'UpdateSecretCommand', 'TagResourceCommand']);
    expect(iot.calls()).toHaveLength(0);
  });

  test('fails with what to do when no secret holds the certificate\'s key', async () => {
    sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    sm.on(ListSecretsCommand).resolves({ SecretList: [] });
    const err = await failure(onEvent(updateEvent(props, props, CERT_ID)));
    expect(err.message).toBe(`IdentityError: no secret holds the key of certificate ${CERT_ID} (deleted outside CloudFormation?): restore it (aws secretsmanager restore-secret), or increase the certificate's rotation to create a new certificate and key`);
    expect(iot.calls()).toHaveLength(0);
  });

  test('a changed rotation creates a new certificate under a new secret name', async () => {
    freshAccount();
    sm.on(CreateSecretCommand).resolves({ ARN: SECRET_ARN.replace('r0', 'r1') });
    const res = await onEvent(updateEvent({ ...props, Rotation: '1' }, props, 'b'.repeat(64)));
    expect(res.PhysicalResourceId).toBe(CERT_ID);
    expect(sm.commandCalls(DescribeSecretCommand)[0].args[0].input).toEqual({ SecretId: 'greengrass/core-1/certificate-r1' });
    expect(sm.commandCalls(CreateSecretCommand)[0].args[0].input.Name).toBe('greengrass/core-1/certificate-r1');
  });

  test('a rollback of a rotation maps back to the original certificate, without touching its status', async () => {
    sm.on(DescribeSecretCommand, { SecretId: SECRET_NAME }).resolves(stored());
    const rollback = updateEvent(props, { ...props, Rotation: '1' }, 'b'.repeat(64), 'req-rollback');
    expect(await onEvent(rollback)).toEqual({ PhysicalResourceId: CERT_ID, Data: expectedData });
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });
});

describe('delete', () => {
  test('retain: calls nothing', async () => {
    await onEvent(deleteEvent(props, CERT_ID));
    expect(iot.calls()).toHaveLength(0);
    expect(sm.calls()).toHaveLength(0);
  });

  test('destroy: detaches, deactivates and deletes the certificate, then schedules the secret deletion with its recovery window', async () => {
    sm.on(DescribeSecretCommand).resolves(stored());
    iot.on(DetachThingPrincipalCommand).resolves({});
    iot.on(UpdateCertificateCommand).resolves({});
    iot.on(DeleteCertificateCommand).rejectsOnce(awsError('DeleteConflictException', 'still attached')).resolves({});
    sm.on(DeleteSecretCommand).resolves({});
    await onEvent(deleteEvent(destroyProps, CERT_ID));
    expect(iot.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
      ['DetachThingPrincipalCommand', { thingName: 'core-1', principal: CERT_ARN }],
      ['UpdateCertificateCommand', { certificateId: CERT_ID, newStatus: 'INACTIVE' }],
      ['DeleteCertificateCommand', { certificateId: CERT_ID, forceDelete: true }],
      ['DeleteCertificateCommand', { certificateId: CERT_ID, forceDelete: true }],
    ]);
    expect(sm.commandCalls(DeleteSecretCommand)[0].args[0].input).toEqual({ SecretId: SECRET_ARN, RecoveryWindowInDays: 14 });
  });

  test('destroy: never force-deletes the secret (default window 30 days)', async () => {
    sm.on(DescribeSecretCommand).resolves(stored());
    iot.on(DetachThingPrincipalCommand).resolves({});
    iot.on(UpdateCertificateCommand).resolves({});
    iot.on(DeleteCertificateCommand).resolves({});
    sm.on(DeleteSecretCommand).resolves({});
    const { RecoveryWindowInDays: _w, ...noWindow } = destroyProps;
    await onEvent(deleteEvent(noWindow, CERT_ID));
    expect(sm.commandCalls(DeleteSecretCommand)[0].args[0].input).toEqual({ SecretId: SECRET_ARN, RecoveryWindowInDays: 30 });
  });

  test('destroy: the old resource of a moved construct leaves the identity its new resource adopted', async () => {
    sm.on(DescribeSecretCommand).resolves(stored({}, { 'greengrass:owner': 'f'.repeat(32) }));
    await onEvent(deleteEvent(destroyProps, CERT_ID));
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(0);
  });

  test('destroy: a secret that names another certificate is left alone', async () => {
    sm.on(DescribeSecretCommand).resolves(stored());
    await onEvent(deleteEvent(destroyProps, 'c'.repeat(64)));
    expect(iot.calls()).toHaveLength(0);
    expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(0);
  });

  test('destroy: succeeds when everything is already gone', async () => {
    sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    sm.on(ListSecretsCommand).resolves({ SecretList: [] });
    await expect(onEvent(deleteEvent(destroyProps, CERT_ID))).resolves.toEqual({ PhysicalResourceId: CERT_ID });
    expect(iot.calls()).toHaveLength(0);
  });

  test('destroy: ResourceNotFound from IoT and Secrets Manager counts as deleted', async () => {
    sm.on(DescribeSecretCommand).resolves(stored());
    iot.on(DetachThingPrincipalCommand).rejects(awsError('ResourceNotFoundException'));
    iot.on(UpdateCertificateCommand).rejects(awsError('ResourceNotFoundException'));
    iot.on(DeleteCertificateCommand).rejects(awsError('ResourceNotFoundException'));
    sm.on(DeleteSecretCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(onEvent(deleteEvent(destroyProps, CERT_ID))).resolves.toEqual({ PhysicalResourceId: CERT_ID });
  });
});

test('newKeyAndCsr makes an RSA 2048 key and a CSR signed with it', () => {
  const { privateKeyPem, csrPem } = newKeyAndCsr('x'.repeat(100));
  const csr = forge.pki.certificationRequestFromPem(csrPem);
  expect(csr.verify()).toBe(true);
  expect(csr.subject.getField('CN').value).toHaveLength(64);
  expect(createPrivateKey(privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
});
