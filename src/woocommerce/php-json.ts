// Encodes a value the way PHP's json_encode($value) with no flags does, which is how WooCommerce
// builds every delivery body (docs/woocommerce-webhooks.md, "Body bytes"): "/" becomes "\/" and every non-ASCII
// character becomes a lowercase \uXXXX escape (surrogate pairs beyond the BMP). Used to produce
// realistic test, demo and benchmark deliveries; the receiver itself never re-encodes anything.

export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff/]/g, (char) => (char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
