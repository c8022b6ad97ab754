// A thermostat in the manner of the IoT Events guide's HVAC example, written for these tests: a setup
// message gives a zone its set point, tolerance and sensor count; each reading moves a running average of
// the zone's sensors by one sensor's share; the zone cools above set point + tolerance, heats below set
// point - tolerance, and holds again once the average is back at the set point. As in the guide's model,
// the onInput events update the average and the transitions compute the new average themselves (in BATCH
// evaluation they see the variables as they were when the message arrived).
//
// Arithmetic on the average is integer division when every operand is an integer: a set point sent as 20.0
// (a decimal) keeps it decimal, a set point sent as 20 does not.
import type { DetectorModelShape, InputShape } from '../../src/private/detector-engine/evaluator';

export const SETUP: InputShape = {
  inputName: 'ZoneSetup',
  inputDefinition: { attributes: [{ jsonPath: 'zoneId' }, { jsonPath: 'setPoint' }, { jsonPath: 'tolerance' }, { jsonPath: 'sensors' }] },
};
export const READING: InputShape = {
  inputName: 'ZoneReading',
  inputDefinition: { attributes: [{ jsonPath: 'zoneId' }, { jsonPath: 'celsius' }] },
};

const next = '((($variable.mean * ($variable.sensors - 1)) + $input.ZoneReading.celsius) / $variable.sensors)';
const track = { eventName: 'track', condition: 'currentInput("ZoneReading")', actions: [{ setVariable: { variableName: 'mean', value: next } }] };

export const THERMOSTAT: DetectorModelShape = {
  detectorModelName: 'zoneThermostat',
  key: 'zoneId',
  detectorModelDefinition: {
    initialStateName: 'unconfigured',
    states: [
      {
        stateName: 'unconfigured',
        onInput: {
          transitionEvents: [{
            eventName: 'configure',
            condition: '$input.ZoneSetup.sensors > 0',
            actions: [
              { setVariable: { variableName: 'target', value: '$input.ZoneSetup.setPoint' } },
              { setVariable: { variableName: 'mean', value: '$input.ZoneSetup.setPoint' } },
              { setVariable: { variableName: 'margin', value: '$input.ZoneSetup.tolerance' } },
              { setVariable: { variableName: 'sensors', value: '$input.ZoneSetup.sensors' } },
            ],
            nextState: 'holding',
          }],
        },
      },
      {
        stateName: 'holding',
        onInput: {
          events: [track],
          transitionEvents: [
            { eventName: 'tooWarm', condition: `${next} > ($variable.target + $variable.margin)`, nextState: 'cooling' },
            { eventName: 'tooCold', condition: `${next} < ($variable.target - $variable.margin)`, nextState: 'heating' },
          ],
        },
      },
      {
        stateName: 'cooling',
        onInput: {
          events: [track],
          transitionEvents: [{ eventName: 'cooled', condition: `${next} <= $variable.target`, nextState: 'holding' }],
        },
      },
      {
        stateName: 'heating',
        onInput: {
          events: [track],
          transitionEvents: [{ eventName: 'warmed', condition: `${next} >= $variable.target`, nextState: 'holding' }],
        },
      },
    ],
  },
};

/** The setup message's text, with the set point written as given (`'20.0'` or `'20'`). */
export function setupText(zoneId: string, setPoint: string): string {
  return `{"zoneId":"${zoneId}","setPoint":${setPoint},"tolerance":0.5,"sensors":10}`;
}

/** A reading's text: an integral temperature, as a sensor with whole degrees sends it. */
export function readingText(zoneId: string, celsius: number): string {
  return `{"zoneId":"${zoneId}","celsius":${celsius}}`;
}

/**
 * Set point 20.0, then readings 26 and 14 of ten sensors. Decimal arithmetic: the mean goes to 20.6 (over
 * 20.5: cooling), then to (20.6 * 9 + 14) / 10 = 19.94 (at most 20: holding). With the set point sent as
 * the integer 20 the mean stays an integer: 206 / 10 = 20 (holding), then 194 / 10 = 19 (under 19.5: heating).
 */
export const READINGS = [26, 14];
export const DECIMAL_STATES = ['holding', 'cooling', 'holding'];
export const INTEGER_STATES = ['holding', 'holding', 'heating'];
