/** A mistake in the command line or the configuration: reported as one line, exit code 2. */
export class UsageError extends Error {}
