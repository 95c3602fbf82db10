// The `faq` collection: faq/<locale>/<slug>.md (or POSTDESK_FAQ_DIR), loaded and validated by the
// shared loader in src/search, so the site, the CLI and the mail side agree on the format.
// A bad file stops the build with the file name and the field.
import { defineCollection } from 'astro:content';
import { defaultFaqDir, loadFaqDir } from '../../src/search/faq-loader.ts';

const faq = defineCollection({
  loader: {
    name: 'postdesk-faq',
    load: async ({ store, renderMarkdown, generateDigest }) => {
      const entries = loadFaqDir(defaultFaqDir());
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
    },
  },
});

export const collections = { faq };
