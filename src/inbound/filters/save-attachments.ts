// Keeps each attachment in the attachment store (by sha256) and gives it a safe filename.
import { safeFilename } from '../attachment-name.ts';
import { required } from '../filter-failures.ts';
import type { DecodeFilter, SavedAttachment } from '../decode/decoded-mail.ts';

export const saveAttachments: DecodeFilter = {
  name: 'save-attachments',
  async run(ctx) {
    const parsed = required(ctx.parsed, 'parsed');
    const locations: SavedAttachment['location'][] = [];
    for (const a of parsed.attachments) locations.push(await ctx.stores.attachments.put(a.content));
    ctx.attachments = parsed.attachments.map((a, i): SavedAttachment => ({
      location: locations[i],
      filename: safeFilename(a.filename, i, a.contentType),
      originalFilename: a.filename ?? null,
      contentType: a.contentType || 'application/octet-stream',
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      inline: a.contentDisposition === 'inline' || Boolean(a.related),
    }));
  },
};
