// Every temporary folder a test run makes (data directories, Maildirs, Dovecot homes, site builds)
// goes under one folder that is removed when the run ends: runs used to leave gigabytes in /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'postdesk-tests-'));
  // Like /tmp itself: Dovecot's mail processes run as another user and must reach their homes here.
  fs.chmodSync(root, 0o1777);
  // os.tmpdir() reads TMPDIR, here and in the forked test workers and the processes they start.
  process.env.TMPDIR = root;
  return () => fs.rmSync(root, { recursive: true, force: true });
}
