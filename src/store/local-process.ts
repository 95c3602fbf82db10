// Whether a process of this machine still runs, by its pid: for files a process names itself in
// (pack writers, backup staging folders) whose owner may have been killed.

/** True while the pid runs here (another user's too: the kernel says EPERM, not ESRCH). */
export function localProcessRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
