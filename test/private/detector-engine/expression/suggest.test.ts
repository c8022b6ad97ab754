import { didYouMean, nearMiss } from '../../../../src/private/detector-engine/expression/suggest';

describe('nearMiss', () => {
  test.each<[string[], string, string | undefined]>([
    [['startsWith', 'endsWith'], 'startswith', 'startsWith'], // another case
    [['count', 'total'], 'cnt', 'count'], // two edits in a name of 5 characters
    [['flag', 'mode'], 'flg', 'flag'], // one edit in a name of 4 characters
    [['flag', 'mode'], 'flgs', undefined], // two edits in a name of 4 characters: too far
    [['temperature'], 'temprature', 'temperature'],
    [['bitand', 'bitor'], 'bitAnd', 'bitand'],
    [['abc'], 'abc', undefined], // the name itself is no suggestion
    [['timeout', 'contains'], 'abs', undefined],
  ])('%j, %s -> %s', (known, name, expected) => {
    expect(nearMiss(known, name)).toBe(expected);
  });
});

describe('didYouMean', () => {
  test('renders the suggestion, or nothing', () => {
    expect(didYouMean(['cooldown'], 'cooldwn')).toBe('did you mean \'cooldown\'? ');
    expect(didYouMean(['cooldown'], 'cooldwn', (t) => `timeout("${t}")`)).toBe('did you mean timeout("cooldown")? ');
    expect(didYouMean(['cooldown'], 'x')).toBe('');
  });
});
