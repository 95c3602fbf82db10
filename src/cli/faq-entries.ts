// The FAQ the `faq` commands read: --faq-dir, else $POSTDESK_FAQ_DIR, else ./faq; a bad file is a usage error.
import path from 'node:path';
import { UsageError } from './errors.ts';
import { defaultFaqDir, FaqValidationError, loadFaqDir } from '../search/faq-loader.ts';
import type { FaqEntry } from '../search/faq-schema.ts';

export function loadFaqEntries(faqDir: string | undefined): FaqEntry[] {
  try {
    return loadFaqDir(faqDir ? path.resolve(faqDir) : defaultFaqDir());
  } catch (err) {
    if (err instanceof FaqValidationError) throw new UsageError(err.message);
    throw err;
  }
}
