import { compileExpression, compileTextField } from '../../../../src/private/detector-engine/expression';

const env = { inputs: new Map([['In', new Set(['a'])]]) };

describe('compileExpression', () => {
  test('a syntax error in an expression copied with its HTML entities names them and what to write', () => {
    const [problem] = compileExpression('$input.In.a &gt; 1 &amp;&amp; true', env).problems;
    expect(problem.position).toBe(16);
    expect(problem.message).toBe("syntax error: unexpected ';' after a complete expression; the expression holds the HTML entities "
      + "'&gt;', '&amp;' (copied from a web page?): write '>', '&' instead");
  });

  test('a syntax error without HTML entities gets no such hint', () => {
    expect(compileExpression('$input.In.a > ', env).problems[0].message).not.toContain('HTML');
  });

  test('an HTML entity inside a string literal is text, not a problem', () => {
    const out = compileExpression("'a &gt; b'", env);
    expect(out.problems).toEqual([]);
    expect(out.evaluate({ inputName: 'In', payload: {}, variables: {}, triggerType: 'Message', timedOut: undefined })).toBe('a &gt; b');
  });
});

describe('compileTextField', () => {
  test('plain text with an HTML entity stays text', () => {
    expect(compileTextField('alerts/&amp;', env).problems).toEqual([]);
  });
});
