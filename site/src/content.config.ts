// The `faq` collection: faq/<locale>/<slug>.md (or POSTDESK_FAQ_DIR), loaded and validated by the
// shared loader in src/search, so the site, the CLI and the mail side agree on the format.
// A bad file stops the build with the file name and the field.
import path from 'node:path';
import { defineCollection } from 'astro:content';
import type { LoaderContext } from 'astro/loaders';
import { defaultFaqDir, loadFaqDir } from '../../src/search/faq-loader.ts';

async function loadFaq({ store, renderMarkdown, generateDigest }: LoaderContext, dir: string): Promise<void> {
  const entries = loadFaqDir(dir);
  store.clear();
  for (const entry of entries) {
    const data = { ...entry };
    store.set({
      id: `${entry.locale}/${entry.slug}`,
      data,
      body: entry.body,
      digest: generateDigest(data),
      rendered: await renderMarkdown(entry.body),
    });
  }
}

const faq = defineCollection({
  loader: {
    name: 'postdesk-faq',
    load: async (context) => {
      const dir = defaultFaqDir();
      await loadFaq(context, dir);
      // `npm run site:dev`: reload when a FAQ file changes (a bad edit is logged, the old content stays).
      context.watcher?.add(dir);
      context.watcher?.on('all', (_event, file) => {
        if (!file.startsWith(dir + path.sep)) return;
        loadFaq(context, dir).catch((err: Error) => context.logger.error(err.message));
      });
    },
  },
});

export const collections = { faq };
