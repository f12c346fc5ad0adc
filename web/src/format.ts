/** Display helpers. Rupees arrive as exact decimal strings and are grouped as text, never through a float. */

/** "-1234567.5" → "−₹12,34,567.50" (Indian grouping, two decimals, a real minus sign). */
export function rupees(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign, whole, frac = ''] = m;
  const cents = (frac + '00').slice(0, 2);
  const last3 = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  const grouped = rest ? `${rest},${last3}` : last3;
  return `${sign ? '−' : ''}₹${grouped}.${cents}`;
}

/** The sign of a decimal string, for colouring. */
export const signOf = (value: string | null | undefined): -1 | 0 | 1 =>
  !value || /^-?0*(\.0*)?$/.test(value) ? 0 : value.startsWith('-') ? -1 : 1;

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleTimeString('en-IN', {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hour12: false,
        // The exchange's clock, wherever the browser is.
        timeZone: 'Asia/Kolkata',
      });
}

export function num(v: unknown, digits = 4): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  if (v === null || v === undefined) return '—';
  return String(v);
}

/** "loss-limits" → "Loss limits". */
export const label = (s: string) => (s.charAt(0).toUpperCase() + s.slice(1)).replace(/[-_]/g, ' ');

/** A greek at 3 significant digits: a spread's gamma nets to thousandths, which 2 decimals would show as 0. */
export function greek(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v === 0 ? '0' : String(Number(v.toPrecision(3)));
}
