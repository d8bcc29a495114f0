import type { Reporter, SerializedError, TestCase, TestModule, TestSuite } from 'vitest/node';

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * The suite or module whose own error (a failed `beforeAll`, say) kept this test from running,
 * if any. Vitest reports such a test as skipped; for the closing line it is a failure.
 */
function failedAncestor(test: TestCase): TestSuite | TestModule | undefined {
  const wanted = test.options.mode === 'run' || test.options.mode === 'only';
  if (!wanted || test.result().state !== 'skipped') return undefined;
  for (let parent: TestSuite | TestModule = test.parent; ; parent = parent.parent) {
    if (parent.errors().length > 0) return parent;
    if (parent.type === 'module') return undefined;
  }
}

/** Counts the run: a test that a broken hook kept from running is a failure, not a skip. */
export function summarise(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Summary {
  // An error outside any test (an unhandled rejection) fails the run too, and must not vanish.
  const summary: Summary = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
  for (const module of testModules) {
    const explained = new Set<TestSuite | TestModule>();
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      const cause = failedAncestor(test);
      if (cause) explained.add(cause);
      if (state === 'passed') summary.passed++;
      else if (state === 'failed' || cause) summary.failed++;
      else summary.skipped++;
    }
    // A suite's own error that no test stands for (a file that does not load, an `afterAll`
    // that throws after its tests passed) still counts once per error.
    for (const holder of [module, ...module.children.allSuites()]) {
      if (!explained.has(holder)) summary.failed += holder.errors().length;
    }
  }
  return summary;
}

/** Prints the plain closing line "N passed, N failed, N skipped" that CI reads. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { passed, failed, skipped } = summarise(testModules, unhandledErrors);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
