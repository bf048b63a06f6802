/**
 * Makes `onPress` the only SIGINT listener until the returned release function is called, so
 * that one Ctrl-C is exactly one call. Why the other listeners are taken off: conf (through
 * atomically) loads when-exit, whose SIGINT listener runs its clean-up and then sends SIGINT to
 * the process again so that it ends; a command that stops gracefully instead would see that
 * echo as a second press. when-exit's clean-up is not lost: it also runs on the process's
 * 'exit' event, which a graceful stop reaches. The listeners are put back as they were
 * (`rawListeners`, so a `once` listener stays a once listener).
 */
export function ownCtrlC(onPress: () => void): () => void {
  const others = process.rawListeners('SIGINT') as Array<(...values: unknown[]) => void>;
  for (const listener of others) process.removeListener('SIGINT', listener);
  process.on('SIGINT', onPress);
  return () => {
    process.off('SIGINT', onPress);
    for (const listener of others) process.on('SIGINT', listener);
  };
}
