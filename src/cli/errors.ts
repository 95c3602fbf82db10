/** A mistake in the command line or the configuration: reported as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * A mistake in the configuration (file or POSTDESK_* variables). For the commands an MTA runs it is
 * no reason to bounce the mail: once the administrator fixes it, the MTA's next try succeeds.
 */
export class ConfigError extends UsageError {}
