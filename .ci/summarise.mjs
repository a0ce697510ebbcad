// Prints the skipped/todo line and, last, "tests: N passed, N failed" from the summary reporter's
// counts, and exits non-zero when anything failed. Failed = failed tests + errored suites, hooks
// and files + unhandled errors + skipped tests not explained by an errored suite (CI requires every suite) + 1 if vitest exited non-zero
// for a reason none of these explain.
import { readFileSync } from 'node:fs';

const [file, statusArg] = process.argv.slice(2);
const status = Number(statusArg);
let counts;
try {
  counts = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log(`vitest wrote no summary (exit ${status})`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}
// CI requires every suite to run (REQUIRE_E2E=1), so a skipped test counts as a failed one, unless
// it was skipped because its suite errored (a failing beforeAll), which is already counted.
let failed = counts.failed + counts.erroredSuites + counts.unhandledErrors + counts.skippedUnexplained;
for (const problem of counts.problems) console.log(`  ${problem}`);
if (counts.skippedUnexplained > 0) console.log(`  ${counts.skippedUnexplained} test(s) skipped, but CI requires every suite to run`);
if (status !== 0 && failed === 0) {
  console.log(`  vitest exited ${status} without a counted failure`);
  failed = 1;
}
console.log(`skipped: ${counts.skipped}, todo: ${counts.todo}`);
console.log(`tests: ${counts.passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
