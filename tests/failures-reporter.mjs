// A node:test reporter used beside TAP by the JS and browser suites: it prints nothing while the
// suite runs and, at its end, one block per failed test — file, name and the first lines of its
// error. CI shows only part of a long log, and in a 138-test TAP stream the one `not ok` is easy
// to lose; this block is the last thing the suite prints, next to CTest's verdict.
export default async function* failuresReporter(source) {
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details, nesting } = event.data;
    // A file's own wrapper fails with its tests; list the tests, and the file only when the
    // failure is its own (a throw at load time, a hook).
    const cause = details?.error?.cause ?? details?.error;
    if (cause?.failureType === 'subtestsFailed' || details?.error?.failureType === 'subtestsFailed') continue;
    failed.push({ name, file, nesting, error: cause });
  }
  if (!failed.length) return;
  yield `\n=== ${failed.length} failed test${failed.length > 1 ? 's' : ''}\n`;
  for (const { name, file, error } of failed) {
    const where = file ? file.replace(/^.*?\/tests\//, 'tests/') : '';
    yield `✖ ${where}: ${name}\n`;
    const text = String(error?.stack ?? error?.message ?? error ?? '').split('\n')
      .filter((line) => !/\(node:|^\s*at node:/.test(line)).slice(0, 10);  // the test's own lines
    for (const line of text) yield `    ${line}\n`;
  }
}
