// Prints "N passed, N failed[, N skipped]" from vitest JSON reports (the Node run, whose report
// holds both vitest projects, simd and scalar, each test once per project that ran it; and the
// browser runner's report, which has the same shape); exits 1 when any test failed, a report
// is missing, or nothing passed. A browser report marked { skipped: reason } (no Chromium)
// counts nothing and says why. A check's report { check: name, ok } (.ci/run's `npm run lint`)
// counts as one test that passed or failed. One line per report goes before the total.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`test-summary: cannot read ${file}: ${err.message}`);
    failed++;
    continue;
  }
  if (typeof report.check === 'string') {
    const ok = report.ok === true;
    console.log(`  ${file}: ${report.check} ${ok ? 'passed' : 'failed'}`);
    if (ok) passed++;
    else failed++;
    continue;
  }
  if (typeof report.skipped === 'string') {
    console.log(`  ${file}: skipped: ${report.skipped}`);
    continue;
  }
  const p = report.numPassedTests ?? 0;
  let f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // a file that failed to load counts as a failure even when it ran no test
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) f++;
  }
  console.log(`  ${file}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
  passed += p;
  failed += f;
  skipped += s;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
