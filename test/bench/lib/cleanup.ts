/**
 * Clean-up that must also happen on Ctrl-C: the bench's own MariaDB database, its site processes
 * and temporary files. `finally` blocks do not run when the process is interrupted.
 */
const tasks = new Set<() => Promise<void>>();
let installed = false;

/**
 * Registers a clean-up task; call the returned function once the task has run normally.
 */
export function onInterrupt(task: () => Promise<void>): () => void {
  if (!installed) {
    installed = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n[bench] ${signal}: cleaning up`);
        Promise.allSettled([...tasks].map((t) => t())).finally(() => process.exit(130));
      });
    }
  }
  tasks.add(task);
  return () => {
    tasks.delete(task);
  };
}
