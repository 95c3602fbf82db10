// The program bin/postdesk.js runs for `postdesk deliver`, instead of the whole CLI (./main.ts).
import { deliverFromCommandLine } from './deliver.ts';

// Private by default, as in ./main.ts: the mail it writes is its owner's only.
process.umask(0o077);
// No top-level await: dist/ bundles this as CommonJS (see scripts/build.ts).
void deliverFromCommandLine(process.argv.slice(3)).then((code) => {
  process.exitCode = code;
});
