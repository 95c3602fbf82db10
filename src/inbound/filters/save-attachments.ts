// Keeps each attachment in the attachment store (packs, by sha256) and gives it a safe filename.
import path from 'node:path';
import { required, type DecodeFilter, type SavedAttachment } from '../context.ts';

export const saveAttachments: DecodeFilter = {
  name: 'save-attachments',
  run(ctx) {
    const parsed = required(ctx.parsed, 'parsed');
    ctx.attachments = parsed.attachments.map((a, i): SavedAttachment => ({
      location: ctx.stores.attachments.append(a.content),
      filename: safeFilename(a.filename, i, a.contentType),
      contentType: a.contentType || 'application/octet-stream',
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      inline: a.contentDisposition === 'inline' || Boolean(a.related),
    }));
  },
};

/** A filename that is safe on any disk and in any header: no path, no control characters, bounded length. */
export function safeFilename(name: string | undefined, index: number, contentType: string): string {
  const base = path.basename((name ?? '').replace(/\\/g, '/'));
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  if (cleaned) return cleaned;
  const subtype = contentType.split('/')[1]?.replace(/[^a-z0-9.+-]/gi, '') || 'bin';
  return `attachment-${index + 1}.${subtype}`;
}
