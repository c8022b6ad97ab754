// Unit tests synthesize hundreds of stacks: the built-in CloudFormation validator
// (about 2 s and 300 MB per process) stays on for the example synth only.
process.env.CDK_VALIDATION = 'false';
process.env.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION = '20';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
