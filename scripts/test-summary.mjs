// Prints one closing line for the whole suite ("N passed, N failed") from the runners' JSON reports,
// and fails when a report is missing or counted no test, so an empty run can never look green.
import { readFileSync, existsSync } from 'node:fs';

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
  if (v.numTotalTests === 0) problems.push('vitest ran no test');
} else problems.push(`no vitest report at ${vitestFile}`);

if (existsSync(playwrightFile)) {
  const s = JSON.parse(readFileSync(playwrightFile, 'utf8')).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  if (s.expected + s.unexpected + s.flaky === 0) problems.push('playwright ran no test');
} else problems.push(`no playwright report at ${playwrightFile}`);

for (const p of problems) console.error(`npm test: ${p}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(problems.length || failed ? 1 : 0);
