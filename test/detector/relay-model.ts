/**
 * A detector model whose end state tells the order of its messages and the time they were evaluated at, for the
 * simulator's tests and the runtime-versus-simulator ones (test/detector-runtime/engine/end-to-end.test.ts), in the
 * form a model item holds it.
 *
 * One detector per `id`. `last` is the `v` of the last message, from input `Fa` or `Fb`; a message to `Fa` with
 * `v` 1 sends `{ id, v: 100 }` to `Fb` (an `iotEvents` action). A 60-second heartbeat (`hb`, reset by every
 * message) takes the detector to `Silent`; the next `Fa` message brings it back and sets `last` to `1000 + v`.
 */
export const RELAY_INPUTS = [
  { inputName: 'Fa', inputDefinition: { attributes: [{ jsonPath: 'id' }, { jsonPath: 'v' }] } },
  { inputName: 'Fb', inputDefinition: { attributes: [{ jsonPath: 'id' }, { jsonPath: 'v' }] } },
];

export const RELAY_MODEL = {
  detectorModelName: 'relay',
  key: 'id',
  detectorModelDefinition: {
    initialStateName: 'Watching',
    states: [
      {
        stateName: 'Watching',
        onEnter: { events: [{ eventName: 'start', actions: [{ setTimer: { timerName: 'hb', seconds: 60 } }] }] },
        onInput: {
          events: [
            { eventName: 'a', condition: 'currentInput("Fa")', actions: [{ setVariable: { variableName: 'last', value: '$input.Fa.v' } }, { resetTimer: { timerName: 'hb' } }] },
            {
              eventName: 'relay',
              condition: '$input.Fa.v == 1',
              actions: [{ iotEvents: { inputName: 'Fb', payload: { type: 'JSON', contentExpression: '\'{"id": "${$input.Fa.id}", "v": 100}\'' } } }],
            },
            { eventName: 'b', condition: 'currentInput("Fb")', actions: [{ setVariable: { variableName: 'last', value: '$input.Fb.v' } }, { resetTimer: { timerName: 'hb' } }] },
          ],
          transitionEvents: [{ eventName: 'silent', condition: 'timeout("hb")', nextState: 'Silent' }],
        },
      },
      {
        stateName: 'Silent',
        onInput: {
          transitionEvents: [{
            eventName: 'back', condition: 'currentInput("Fa")', nextState: 'Watching', actions: [{ setVariable: { variableName: 'last', value: '1000 + $input.Fa.v' } }],
          }],
        },
      },
    ],
  },
};

/** A message to `Fa` or `Fb` for detector `id`. */
export function relayMessage(messageId: string, inputName: 'Fa' | 'Fb', id: string, v: number, timeInMillis?: number) {
  return { messageId, inputName, payload: JSON.stringify({ id, v }), ...(timeInMillis !== undefined ? { timestamp: { timeInMillis } } : {}) };
}
