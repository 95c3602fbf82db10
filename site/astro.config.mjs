// Static help center. Build: `npm run site:build` (-> site/dist); dev: `npm run site:dev`.
// POSTDESK_SITE_URL sets the absolute URL used in the sitemap and canonical links.
import { defineConfig } from 'astro/config';

export default defineConfig({
  site: process.env.POSTDESK_SITE_URL || 'https://help.example.com',
  output: 'static',
  build: { format: 'directory' },
  // Vite must be allowed to read the shared search module that lives outside site/.
  vite: { server: { fs: { allow: ['..'] } } },
  devToolbar: { enabled: false },
});
