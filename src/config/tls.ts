// The TLS options of an SMTP or IMAP section (`ca`, `rejectUnauthorized`) in the form nodemailer and
// imapflow pass on to Node's tls.connect.
import fs from 'node:fs';
import tls from 'node:tls';

export function tlsOptions(section: { ca?: string; rejectUnauthorized: boolean }): tls.ConnectionOptions {
  return {
    // Node replaces its CA list by `ca`: the file's certificates join the bundled ones instead.
    ...(section.ca === undefined ? {} : { ca: [...tls.rootCertificates, fs.readFileSync(section.ca, 'utf8')] }),
    rejectUnauthorized: section.rejectUnauthorized,
  };
}
