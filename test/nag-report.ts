import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import * as lib from '../src';
import { SharedProvider } from '../src/private/provider';

/** A finding of cdk-nag's AwsSolutions pack, as the CDK validation report gives it. */
export interface NagFinding {
  /** `AwsSolutions-IAM5[Resource::*]`, `AwsSolutions-SQS3`, ... */
  readonly rule: string;
  /** The construct path of the resource. */
  readonly path: string;
  readonly severity: string;
  /** Where it was acknowledged (acknowledged findings only). */
  readonly acknowledgedAt?: string;
  readonly reason?: string;
}

/** The findings left open and those acknowledged, for an app built by `build`. */
export interface NagReport {
  readonly app: App;
  readonly open: NagFinding[];
  readonly acknowledged: NagFinding[];
}

/**
 * Synthesizes an app the way a user runs cdk-nag 3 (`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))`)
 * and reads the validation report that synthesis writes: the findings left, and those acknowledged (where, why).
 */
export function nagReport(build: (app: App) => void): NagReport {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
  try {
    const app = new App({ outdir });
    build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
    } catch (e: any) {
      // Open errors fail synthesis; the report is written before.
      if (!fs.existsSync(path.join(outdir, 'validation-report.json'))) throw e;
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const nag = report.pluginReports.find((r: any) => r.pluginName === 'AwsSolutions');
    if (!nag) throw new Error('the validation report has no AwsSolutions plugin report');
    const flat = (violations: any[], acknowledged: boolean): NagFinding[] => violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => ({
      rule: v.ruleName,
      path: c.constructPath,
      severity: v.severity,
      ...(acknowledged ? { acknowledgedAt: v.acknowledgedAt, reason: v.reason } : {}),
    })));
    return { app, open: flat(nag.violations, false), acknowledged: flat(nag.suppressedViolations ?? [], true) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The construct classes of the library: every exported class that is a construct, and the shared provider. */
const LIBRARY_CLASSES: Function[] = [
  ...Object.values(lib).filter((v): v is Function => typeof v === 'function' && isConstructClass(v as Function)),
  SharedProvider,
];

function isConstructClass(c: Function): boolean {
  for (let p = c.prototype; p; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === 'Construct') return true;
  }
  return false;
}

/** Whether the construct at `constructPath` was created by the library: it is, or is inside, a library construct. */
export function libraryOwned(app: App, constructPath: string): boolean {
  let c: IConstruct | undefined = app.node.findAll().find((x) => x.node.path === constructPath);
  for (; c; c = c.node.scope) {
    if (Stack.isStack(c)) return false;
    const construct = c;
    if (LIBRARY_CLASSES.some((cls) => construct instanceof cls)) return true;
  }
  return false;
}

/** `severity rule path`, sorted: readable in a failing assertion. */
export function describeFindings(findings: NagFinding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.rule} ${f.path}`).sort();
}
