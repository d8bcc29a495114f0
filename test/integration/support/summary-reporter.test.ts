import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/paths';

const run = promisify(execFile);
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'reporter');
const vitestBin = path.join(projectRoot, 'node_modules', 'vitest', 'vitest.mjs');

/** Runs one fixture file in a vitest of its own and returns its closing line and exit code. */
async function closingLine(fixture: string): Promise<{ line: string; code: number }> {
  const result = await run(process.execPath, [vitestBin, 'run', '--root', fixtures, fixture], {
    cwd: projectRoot,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  }).then(
    (done) => ({ stdout: done.stdout, code: 0 }),
    (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', code: error.code ?? -1 }),
  );
  const lines = result.stdout.trim().split('\n');
  return { line: lines[lines.length - 1]!, code: result.code };
}

// CI reads the closing line: a stack that never came up must read as failures, not skips.
describe('the closing line CI reads', () => {
  it.each([
    ['hook-in-suite', '1 passed, 2 failed, 0 skipped'],
    ['hook-in-module', '0 passed, 1 failed, 1 skipped'],
    ['plain', '1 passed, 1 failed, 2 skipped'],
    ['after-all', '1 passed, 1 failed, 0 skipped'],
    ['does-not-load', '0 passed, 1 failed, 0 skipped'],
  ])('%s reads "%s" and exits 1', async (fixture, expected) => {
    const { line, code } = await closingLine(`${fixture}.fixture.ts`);
    expect(line).toBe(expected);
    expect(code).toBe(1);
  });
});
