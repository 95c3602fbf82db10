// Keeps each attachment in the attachment store (packs, by sha256) and gives it a safe filename.
import { safeFilename } from '../attachment-name.ts';
import { required } from '../filter-failures.ts';
import type { DecodeFilter, SavedAttachment } from '../decode/decoded-mail.ts';

export const saveAttachments: DecodeFilter = {
  name: 'save-attachments',
  run(ctx) {
    const parsed = required(ctx.parsed, 'parsed');
    ctx.attachments = parsed.attachments.map((a, i): SavedAttachment => ({
      location: ctx.stores.attachments.append(a.content),
      filename: safeFilename(a.filename, i, a.contentType),
      originalFilename: a.filename ?? null,
      contentType: a.contentType || 'application/octet-stream',
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      inline: a.contentDisposition === 'inline' || Boolean(a.related),
    }));
  },
};
