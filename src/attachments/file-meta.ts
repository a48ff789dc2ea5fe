import { cleanText } from '../common/text.js';

// File names and content types as uploaders declare them, made safe to store and to serve.

const MAX_NAME_CHARS = 200;
const MAX_EXTENSION_CHARS = 20;

// C0/C1 controls, zero-width and bidirectional-override characters (they can disguise an
// extension: "invoice\u202Efdp.exe" reads as "invoiceexe.pdf").
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Reserved on Windows; a downloaded name must be a valid name on every desktop.
const RESERVED = /[<>:"/\\|?*]/g;

/** The original name kept readable (UTF-8, e.g. 报价单（最终版）.pdf), without paths or tricks. */
export function sanitizeFileName(raw: string | undefined | null): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = cleanText(name.replace(INVISIBLE, '').replace(RESERVED, '_')) ?? '';
  // No hidden files, no "." or "..".
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  const chars = [...name];
  if (chars.length > MAX_NAME_CHARS) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? [...name.slice(dot)] : [];
    const keep = ext.length <= MAX_EXTENSION_CHARS ? ext : [];
    name = chars.slice(0, MAX_NAME_CHARS - keep.length).join('') + keep.join('');
  }
  return name || 'file';
}

const TOKEN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
export const OCTET_STREAM = 'application/octet-stream';

/** `type/subtype` in lower case when well-formed; application/octet-stream otherwise. */
export function sanitizeContentType(raw: string | undefined | null): string {
  const essence = (raw ?? '').split(';')[0]!.trim().toLowerCase();
  const parts = essence.split('/');
  if (parts.length !== 2 || !TOKEN.test(parts[0]!) || !TOKEN.test(parts[1]!)) return OCTET_STREAM;
  return essence;
}

const TOP_LEVEL = new Set(['application', 'audio', 'font', 'image', 'text', 'video', 'model']);

/** Types a browser could run as a document or a script in our origin, were it ever to render one. */
function isActive(subtype: string): boolean {
  return (
    subtype === 'xml' ||
    subtype.endsWith('+xml') ||
    subtype.startsWith('xml-') ||
    /html|svg|script|xsl|x-shockwave-flash|x-mixed-replace|cache-manifest/.test(subtype)
  );
}

/** What a download is served as: the recorded type unless it could be active content. */
export function servedContentType(recorded: string): string {
  const essence = sanitizeContentType(recorded);
  const [top, subtype] = essence.split('/') as [string, string];
  if (!TOP_LEVEL.has(top) || isActive(subtype)) return OCTET_STREAM;
  return essence;
}

// RFC 5987 attr-char: everything else is percent-encoded (encodeURIComponent leaves ' ( ) * alone).
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A plain ASCII name for clients that ignore filename*: the name itself when it is ASCII. */
export function asciiFileName(name: string): string {
  const folded = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (/^[\x20-\x7e]+$/.test(folded)) return folded.replace(/["\\%;]/g, '_');
  const ext = /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0] ?? '';
  return `attachment${ext}`;
}

/** `attachment; filename="ascii"; filename*=UTF-8''...` (RFC 6266 and RFC 5987). */
export function contentDisposition(name: string): string {
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
