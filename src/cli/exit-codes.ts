// Exit codes from sysexits.h, the ones MTAs and scripts act on.
export const EX_USAGE = 64;
/** An input file is missing or unreadable. */
export const EX_NOINPUT = 66;
/** Could not keep the mail now, may work later: MTAs queue the mail and retry. */
export const EX_TEMPFAIL = 75;
