// The program bin/postdesk.js runs for `postdesk deliver`, instead of the whole CLI (./main.ts).
import { deliverFromCommandLine } from './deliver.ts';

process.exitCode = await deliverFromCommandLine(process.argv.slice(3));
