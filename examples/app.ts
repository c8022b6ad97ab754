// The example app: `npx projen synth:example` synthesizes it offline into cdk.out.example/, with the
// CDK CloudFormation validator and the cdk-nag AwsSolutions checks on.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EdgeFleetStack } from './edge-fleet-stack';
import { acknowledgeNagFindings } from './nag-acknowledgements';

const app = new App();
const stack = new EdgeFleetStack(app, 'EdgeFleet');
acknowledgeNagFindings(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
