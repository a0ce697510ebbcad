import { writeFileSync } from 'node:fs';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

/**
 * Counts what CI must not let through, including what vitest's own totals leave out: a failing
 * hook (beforeAll turns its tests into "skipped"), a module that fails to import, an unhandled
 * error, and any skipped test not explained by its suite's error (CI requires every suite to run).
 * Writes the counts as JSON to CI_SUMMARY_FILE for .ci/run's last lines.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>) {
    // skippedUnexplained: skipped tests whose own suites did not error (those are counted once, as the errored suite).
    const counts = { passed: 0, failed: 0, skipped: 0, skippedUnexplained: 0, todo: 0, erroredSuites: 0, unhandledErrors: unhandled.length, problems: [] as string[] };
    for (const module of modules) {
      const suites = [module, ...module.children.allSuites()];
      let failedHere = 0;
      for (const suite of suites) {
        const errors = suite.errors();
        if (errors.length > 0) {
          failedHere++;
          counts.erroredSuites++;
          const where = suite.type === 'module' ? module.relativeModuleId : `${module.relativeModuleId} > ${suite.fullName}`;
          counts.problems.push(`error in ${where}: ${errors[0]?.message ?? 'unknown'}`);
        }
      }
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') {
          counts.failed++;
          failedHere++;
        } else if (test.options.mode === 'todo') counts.todo++;
        else {
          counts.skipped++;
          let suite: TestCase['parent'] | undefined = test.parent;
          while (suite && suite.errors().length === 0) suite = suite.type === 'module' ? undefined : suite.parent;
          if (!suite) counts.skippedUnexplained++;
        }
      }
      // A module vitest marks failed for a reason none of the above saw still fails the run.
      if (module.state() === 'failed' && failedHere === 0) {
        counts.erroredSuites++;
        counts.problems.push(`failed without a failing test: ${module.relativeModuleId}`);
      }
    }
    for (const error of unhandled) counts.problems.push(`unhandled: ${error.message}`);
    const file = process.env.CI_SUMMARY_FILE;
    if (file) writeFileSync(file, JSON.stringify(counts));
  }
}
