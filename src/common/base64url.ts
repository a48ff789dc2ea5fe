const scratch = Buffer.allocUnsafeSlow(512);

/**
 * base64url of the UTF-8 bytes of `text`. ASCII text (ids, most cursors) goes through one buffer
 * kept for the purpose rather than a new one per call: a response holds thousands of ids.
 */
export function base64url(text: string): string {
  if (text.length > scratch.length || /[^\x00-\x7f]/.test(text)) return Buffer.from(text, 'utf8').toString('base64url');
  const length = scratch.write(text, 0, 'latin1');
  return scratch.toString('base64url', 0, length);
}
