/**
 * Counts the AWS requests a client sends, by service and operation, with DynamoDB's consumed capacity
 * (the middleware asks for `ReturnConsumedCapacity: TOTAL` and adds up read and write units). Used by the
 * tests and by bench/detector-runtime.bench.ts.
 */

/** Counts per `<service>.<operation>` (`DynamoDB.PutItem`), and DynamoDB capacity units. */
export class RequestCounter {
  public readonly requests = new Map<string, number>();
  public readCapacityUnits = 0;
  public writeCapacityUnits = 0;

  /** Adds the counting middleware to a client (any AWS SDK v3 client). Returns the client. */
  public attach<T extends { middlewareStack: { add: (...args: any[]) => void } }>(client: T, service: string): T {
    client.middlewareStack.add((next: any, context: any) => async (args: any) => {
      const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const key = `${service}.${operation}`;
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      if (service === 'DynamoDB' && args.input && typeof args.input === 'object' && DYNAMODB_CAPACITY_OPERATIONS.has(operation)) {
        args.input.ReturnConsumedCapacity = 'TOTAL';
      }
      const out = await next(args);
      const consumed = out?.output?.ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        this.readCapacityUnits += c.ReadCapacityUnits ?? (WRITES.has(operation) ? 0 : c.CapacityUnits ?? 0);
        this.writeCapacityUnits += c.WriteCapacityUnits ?? (WRITES.has(operation) ? c.CapacityUnits ?? 0 : 0);
      }
      return out;
    }, { step: 'initialize', name: `requestCounter${service}`, override: true });
    return client;
  }

  /** The count of one operation, or of every operation of a service (`DynamoDB`). */
  public count(name: string): number {
    if (name.includes('.')) return this.requests.get(name) ?? 0;
    let n = 0;
    for (const [k, v] of this.requests) if (k.startsWith(`${name}.`)) n += v;
    return n;
  }

  public reset(): void {
    this.requests.clear();
    this.readCapacityUnits = 0;
    this.writeCapacityUnits = 0;
  }
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const DYNAMODB_CAPACITY_OPERATIONS = new Set([...WRITES, 'GetItem', 'Query', 'Scan', 'BatchGetItem']);
