// Postdesk behind a real exim (Debian's exim4-daemon-light, run privately by tests/harness/exim.ts):
// the cases of behind-mta.ts.
import { describeWithExim, startExim } from '../harness/exim.ts';
import { behindMtaCases } from './behind-mta.ts';

describeWithExim('Postdesk behind exim', () => behindMtaCases(startExim));
