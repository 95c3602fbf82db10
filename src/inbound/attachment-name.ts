// The name an attachment is saved under.
import path from 'node:path';

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
