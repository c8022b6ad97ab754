import { didYouMean, nearMiss, quotedList } from '../../src/private/near-miss';

test.each<[string, string[], string | undefined]>([
  ['Nomral', ['Normal', 'Overheated'], 'Normal'],
  ['normal', ['Normal'], 'Normal'],
  ['hotReading', ['hotReadings', 'coolReadings'], 'hotReadings'],
  ['Broken', ['Normal', 'Overheated', 'Silent'], undefined],
  ['ab', ['xy'], undefined],
  ['Normal', ['Normal'], undefined],
])('nearMiss(%s, %j) is %s', (value, candidates, expected) => {
  expect(nearMiss(value, candidates)).toBe(expected);
});

test('didYouMean and quotedList', () => {
  expect(didYouMean('silent', ['silence'])).toBe("did you mean 'silence'? ");
  expect(didYouMean('x', ['silence'])).toBe('');
  expect(quotedList(['a', 'b'])).toBe("'a', 'b'");
  expect(quotedList([])).toBe('none');
});
