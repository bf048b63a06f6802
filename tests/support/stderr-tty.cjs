// Preloaded (`node --require`) into a `sluice` child by tests/support/sluice-cli-harness.ts when
// a test asks for `stderrTty`: the child's stderr says it is a terminal, so `sluice` prints the
// progress lines it keeps for a terminal into the pipe the test reads. Nothing else changes.
Object.defineProperty(process.stderr, 'isTTY', { value: true });
