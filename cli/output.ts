/**
 * What `qs` prints. Text that came from data (tenant names, reasons, worker ids, a user's own
 * flag values echoed in an error) may hold terminal control sequences; printed raw, an ANSI
 * escape could recolour, move the cursor or retitle the operator's terminal. Every text line
 * goes through printable(), which removes escape sequences and other control characters and
 * keeps newlines and tabs. JSON output needs nothing: JSON.stringify escapes control characters.
 */

// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), other two-byte escapes, then any C0/C1
// control character except tab and newline. Matching control characters is the point here.
const ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}

/** One value: JSON for --json, the text (made printable) otherwise. */
export function print(json: boolean, value: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(value) : printable(text()));
}

export function printText(text: string): void {
  console.log(printable(text));
}
