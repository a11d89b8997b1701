// Links into the store's WordPress admin, so the owner can fix a customer where their details live.
// A subscription is an order: the classic edit address works with either order storage, because
// WooCommerce forwards it to the new order screen when HPOS is on (its PostsRedirectionController).

/** The store's address without a trailing slash, when it is a web address. */
function adminBase(storeUrl: string | undefined): string | undefined {
  if (!storeUrl) return undefined;
  try {
    const url = new URL(storeUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}/wp-admin`;
  } catch {
    return undefined;
  }
}

/** The WordPress user's edit page (a customer is a WordPress user). */
export function customerEditUrl(storeUrl: string | undefined, customerId: number | string | undefined | null): string | undefined {
  const base = adminBase(storeUrl);
  const id = String(customerId ?? '');
  return base && /^[1-9]\d{0,18}$/.test(id) ? `${base}/user-edit.php?user_id=${id}` : undefined;
}

/** The subscription's edit page. */
export function subscriptionEditUrl(storeUrl: string | undefined, subscriptionId: number | string | undefined | null): string | undefined {
  const base = adminBase(storeUrl);
  const id = String(subscriptionId ?? '');
  return base && /^[1-9]\d{0,18}$/.test(id) ? `${base}/post.php?post=${id}&action=edit` : undefined;
}
