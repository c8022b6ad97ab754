import { loadFixtures } from './fixtures';
import { DetectorModelDefinition } from '../../src/detector/detector-model-definition';
import { InputDefinition } from '../../src/detector/input-definition';
import { describeWithShared } from '../shared-oracle';

const api = { inputName: 'PressureInput', inputDescription: 'Pressure readings', inputDefinition: { attributes: [{ jsonPath: 'motorid' }, { jsonPath: 'sensorData.`motor pressure`' }] } };

describe('InputDefinition', () => {
  test('renders a CreateInput request', () => {
    const input = new InputDefinition({ inputName: 'PressureInput', description: 'Pressure readings', attributeJsonPaths: ['motorid', 'sensorData.`motor pressure`'] });
    expect(input.toJson()).toEqual(api);
  });

  test.each([
    ['a CreateInput request', { ...api, tags: [{ key: 'a', value: 'b' }] }],
    ['DescribeInput\'s input', { inputConfiguration: { inputName: 'PressureInput', inputDescription: 'Pressure readings', inputArn: 'arn:aws:iotevents:us-east-1:1:input/PressureInput', status: 'ACTIVE' }, inputDefinition: api.inputDefinition }],
    ['the DescribeInput response', { input: { inputConfiguration: { inputName: 'PressureInput', inputDescription: 'Pressure readings' }, inputDefinition: api.inputDefinition } }],
    ['AWS::IoTEvents::Input Properties', { InputName: 'PressureInput', InputDescription: 'Pressure readings', InputDefinition: { Attributes: [{ JsonPath: 'motorid' }, { JsonPath: 'sensorData.`motor pressure`' }] } }],
    ['the snake_case of a Terraform awscc_iotevents_input', { id: 'PressureInput', input_name: 'PressureInput', input_description: 'Pressure readings', tags: null, input_definition: { attributes: [{ json_path: 'motorid' }, { json_path: 'sensorData.`motor pressure`' }] } }],
    ['an AWS::IoTEvents::Input resource', { Type: 'AWS::IoTEvents::Input', Properties: { InputName: 'PressureInput', InputDescription: 'Pressure readings', InputDefinition: { Attributes: [{ JsonPath: 'motorid' }, { JsonPath: 'sensorData.`motor pressure`' }] } } }],
  ])('fromJson reads %s and renders it back', (_, json) => {
    expect(InputDefinition.fromJson(json).toJson()).toEqual(api);
  });

  test('fromJson coerces the scalars of AWS::IoTEvents::Input Properties to strings, as CloudFormation does; the API\'s JSON is typed', () => {
    const input = InputDefinition.fromJson({ InputName: 'Codes', InputDescription: 2024, InputDefinition: { Attributes: [{ JsonPath: 'a' }, { JsonPath: 42 }] } });
    expect(input.toJson()).toEqual({ inputName: 'Codes', inputDescription: '2024', inputDefinition: { attributes: [{ jsonPath: 'a' }, { jsonPath: '42' }] } });
    expect(() => InputDefinition.fromJson({ inputName: 'Codes', inputDefinition: { attributes: [{ jsonPath: 42 }] } }))
      .toThrow('input \'Codes\' attribute 0 must be { "jsonPath": "<path>" }, got {"jsonPath":42}');
  });

  test('fromJson joins Fn::Join of literals in the name', () => {
    const input = InputDefinition.fromJson({ InputName: { 'Fn::Join': ['_', ['motor', 'input']] }, InputDefinition: { Attributes: [{ JsonPath: 'a' }] } });
    expect(input.inputName).toBe('motor_input');
  });

  test.each([
    ['a name that starts with a digit', { inputName: '1st', attributeJsonPaths: ['a'] }, /inputName "1st" does not match/],
    ['no attributes', { inputName: 'In', attributeJsonPaths: [] }, /must have 1 to 200 attributes, got 0/],
    ['201 attributes', { inputName: 'In', attributeJsonPaths: Array.from({ length: 201 }, (_, i) => `a${i}`) }, /must have 1 to 200 attributes, got 201/],
    ['an attribute with a space outside backticks', { inputName: 'In', attributeJsonPaths: ['motor pressure'] }, /attribute "motor pressure" does not match.*backticks/],
    ['an attribute listed twice', { inputName: 'In', attributeJsonPaths: ['a', 'a'] }, /lists attribute "a" twice/],
  ])('fails on %s', (_, props, message) => {
    expect(() => new InputDefinition(props)).toThrow(message);
  });

  test('fromJson fails on an intrinsic it cannot resolve, naming its path and the refs entry to pass', () => {
    expect(() => InputDefinition.fromJson({ InputName: { 'Fn::Sub': '${AWS::StackName}_in' }, InputDefinition: { Attributes: [{ JsonPath: 'a' }] } }))
      .toThrow(/input\.inputName: \{"Fn::Sub":"\$\{AWS::StackName\}_in"\} cannot be resolved here: AWS::StackName is a pseudo parameter, known only at deployment; pass its value: fromJson\(json, \{ refs: \{ 'AWS::StackName': '<value>' \} \}\)/);
  });

  test('fromJson takes the value of an intrinsic from refs', () => {
    const json = { InputName: { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, 'Input']] }, InputDefinition: { Attributes: [{ JsonPath: 'a' }] } };
    expect(InputDefinition.fromJson(json, { refs: { 'AWS::StackName': 'Plant' } }).inputName).toBe('PlantInput');
  });

  test('fromJson reads a template with one input; a Ref to a template parameter stands for its Default', () => {
    const template = {
      Parameters: { Prefix: { Type: 'String', Default: 'line1' } },
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: {} },
        In: { Type: 'AWS::IoTEvents::Input', Properties: { InputName: { 'Fn::Sub': '${Prefix}_telemetry' }, InputDefinition: { Attributes: [{ JsonPath: 'a' }] } } },
      },
    };
    expect(InputDefinition.fromJson(template).toJson()).toEqual({ inputName: 'line1_telemetry', inputDefinition: { attributes: [{ jsonPath: 'a' }] } });
  });

  test('fromJson of a template whose input has no InputName (generated at deployment) takes its name from refs, by logical ID', () => {
    const template = {
      Resources: {
        MyInput08947B23: { Type: 'AWS::IoTEvents::Input', Properties: { InputDefinition: { Attributes: [{ JsonPath: 'payload.deviceId' }] } } },
        Model: {
          Type: 'AWS::IoTEvents::DetectorModel',
          Properties: {
            DetectorModelDefinition: {
              InitialStateName: 'S',
              States: [{ StateName: 'S', OnInput: { Events: [{ EventName: 'e', Condition: { 'Fn::Join': ['', ['currentInput("', { Ref: 'MyInput08947B23' }, '")']] } }] } }],
            },
          },
        },
      },
    };
    expect(() => InputDefinition.fromJson(template)).toThrow('input MyInput08947B23 of the template has no InputName: CloudFormation generates its name '
      + "at deployment; pass the name: fromJson(json, { refs: { MyInput08947B23: '<inputName>' } }), as to DetectorModelDefinition.fromJson");
    const refs = { MyInput08947B23: 'test_input' };
    expect(InputDefinition.fromJson(template, { refs }).toJson()).toEqual({ inputName: 'test_input', inputDefinition: { attributes: [{ jsonPath: 'payload.deviceId' }] } });
    expect(DetectorModelDefinition.fromJson(template, { refs }).toJson().detectorModelDefinition.states[0].onInput.events[0].condition)
      .toBe('currentInput("test_input")');
  });

  test('fromJson fails on a template with several inputs, naming them', () => {
    const input = { Type: 'AWS::IoTEvents::Input', Properties: { InputName: 'x', InputDefinition: { Attributes: [{ JsonPath: 'a' }] } } };
    expect(() => InputDefinition.fromJson({ Resources: { A: input, B: input } }))
      .toThrow('template has 2 AWS::IoTEvents::Input resources (A, B); pass the one to read (the resource or its Properties)');
  });

  test('fromJson ignores the fields an input does not need (Tags may hold any intrinsic)', () => {
    const input = InputDefinition.fromJson({ InputName: 'In', InputDefinition: { Attributes: [{ JsonPath: 'a' }] }, Tags: [{ Key: 'stack', Value: { Ref: 'AWS::StackName' } }] });
    expect(input.toJson()).toEqual({ inputName: 'In', inputDefinition: { attributes: [{ jsonPath: 'a' }] } });
  });

  test('fromJson fails without attributes', () => {
    expect(() => InputDefinition.fromJson({ inputName: 'In' })).toThrow(/input 'In' has no inputDefinition.attributes list/);
  });
});

describeWithShared('published inputs', () => {
  const inputs = loadFixtures().flatMap((f) => f.inputs.map((i) => [`${f.file} ${i.inputName}`, i] as const));
  test.each(inputs)('%s loads', (_, i) => {
    const input = InputDefinition.fromJson(i);
    expect(input.toJson()).toEqual({ inputName: i.inputName, inputDefinition: { attributes: i.attributes.map((jsonPath) => ({ jsonPath })) } });
  });
});
