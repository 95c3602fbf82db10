// Static help center. Build: `npm run site:build` (-> site/dist); dev: `npm run site:dev`.
// POSTDESK_SITE_URL sets the absolute URL used in the sitemap and canonical links. Telemetry is
// off through ASTRO_TELEMETRY_DISABLED in the npm scripts (Astro has no setting for it here).
import { defineConfig } from 'astro/config';
import { defaultFaqDir } from '../src/search/faq-loader.ts';
import { loadSiteConfig, SiteConfigError } from './src/lib/site-config.ts';

/** site.json is checked before anything is built; a problem is one line, not a stack trace. */
const checkSiteConfig = {
  name: 'postdesk-site-config',
  hooks: {
    'astro:config:setup': ({ logger }) => {
      try {
        loadSiteConfig(defaultFaqDir());
      } catch (err) {
        if (!(err instanceof SiteConfigError)) throw err;
        logger.error(err.message);
        process.exit(1);
      }
    },
  },
};

export default defineConfig({
  site: process.env.POSTDESK_SITE_URL || 'https://help.example.com',
  output: 'static',
  build: { format: 'directory' },
  // Vite must be allowed to read the shared search module that lives outside site/.
  vite: { server: { fs: { allow: ['..'] } } },
  devToolbar: { enabled: false },
  integrations: [checkSiteConfig],
});
