// The example app: `npx projen synth:example` synthesizes it offline into cdk.out.example/, with the
// CDK CloudFormation validator and the cdk-nag AwsSolutions checks on. The library acknowledges the
// findings on the resources it creates (each where it creates the resource, with its reason); the
// example's own resources have none, so it acknowledges nothing.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EdgeFleetStack } from './edge-fleet-stack';

const app = new App();
new EdgeFleetStack(app, 'EdgeFleet');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
