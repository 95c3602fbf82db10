// The program bin/postdesk.js runs for `postdesk deliver`, instead of the whole CLI (./main.ts).
import { deliverFromCommandLine } from './deliver.ts';

// Private by default, as in ./main.ts: the mail it writes is its owner's only.
process.umask(0o077);
process.exitCode = await deliverFromCommandLine(process.argv.slice(3));
