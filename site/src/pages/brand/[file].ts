// The brand's logo and favicon, copied from the FAQ directory (see site.json).
import type { APIRoute } from 'astro';
import { BRAND_FILES, type BrandFile } from '../../lib/site.ts';

export const getStaticPaths = () => BRAND_FILES.map((file) => ({ params: { file: file.name }, props: file }));

export const GET: APIRoute = ({ props }) => new Response((props as BrandFile).body);
