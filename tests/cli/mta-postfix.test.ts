// Postdesk behind a real Postfix (Debian's postfix, unpacked and run privately by
// tests/harness/postfix.ts): the cases of behind-mta.ts.
import { describeWithPostfix, startPostfix } from '../harness/postfix.ts';
import { behindMtaCases } from './behind-mta.ts';

describeWithPostfix('Postdesk behind Postfix', () => behindMtaCases(startPostfix));
