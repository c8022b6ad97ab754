import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * The device-side program (resources/stream-provisioner) has its own unit tests, run with the
 * Python standard library against a fake Stream Manager client. This runs them so CI counts them.
 */
test('the stream provisioner\'s Python unit tests pass', () => {
  const dir = path.join(__dirname, '..', '..', 'resources', 'stream-provisioner');
  const run = spawnSync('python3', ['-B', '-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], {
    cwd: dir,
    encoding: 'utf-8',
    timeout: 120_000,
  });

  if (run.error) {
    throw run.error;
  }
  const output = `${run.stdout}\n${run.stderr}`;
  expect({ status: run.status, output }).toEqual({ status: 0, output: expect.stringMatching(/Ran [1-9]\d* tests? in [\d.]+s\s+OK/) });
});
