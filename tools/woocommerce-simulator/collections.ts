// WordPress REST collection behaviour: per_page 1–100, X-WP-Total / X-WP-TotalPages, a Link
// header with rel="next"/"prev" (docs/woocommerce-webhooks.md, "The REST API"), ordering, and WooCommerce's error shape.
import type { Json } from './store-data.ts';

export function restError(status: number, code: string, message: string): { status: number; body: Json } {
  return { status, body: { code, message, data: { status } } };
}

type Page = { items: Json[]; headers: Record<string, string> } | { error: { status: number; body: Json } };

export function paginate(items: Json[], query: URLSearchParams, collectionUrl: string): Page {
  const perPage = Number(query.get('per_page') ?? 10);
  const page = Number(query.get('page') ?? 1);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    return {
      error: {
        status: 400,
        body: {
          code: 'rest_invalid_param',
          message: 'Invalid parameter(s): per_page',
          data: { status: 400, params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } },
        },
      },
    };
  }
  if (!Number.isInteger(page) || page < 1) {
    return { error: restError(400, 'rest_invalid_param', 'Invalid parameter(s): page') };
  }
  const total = items.length;
  const totalPages = Math.ceil(total / perPage);
  const linkTo = (target: number) => {
    const params = new URLSearchParams(query);
    params.delete('consumer_key');
    params.delete('consumer_secret');
    for (const name of [...params.keys()]) if (name.startsWith('oauth_')) params.delete(name);
    params.set('page', String(target));
    return `${collectionUrl}?${params}`;
  };
  const links: string[] = [];
  if (page > 1 && page <= totalPages + 1) links.push(`<${linkTo(page - 1)}>; rel="prev"`);
  if (page < totalPages) links.push(`<${linkTo(page + 1)}>; rel="next"`);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: {
      'x-wp-total': String(total),
      'x-wp-totalpages': String(totalPages),
      ...(links.length > 0 ? { link: links.join(', ') } : {}),
    },
  };
}

function ordered(
  items: Json[],
  query: URLSearchParams,
  defaults: { orderby: string; order: 'asc' | 'desc' },
  keyOf: (item: Json, orderby: string) => string | number,
): Json[] {
  const orderby = query.get('orderby') ?? defaults.orderby;
  const direction = (query.get('order') ?? defaults.order) === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    const [left, right] = [keyOf(a, orderby), keyOf(b, orderby)];
    const compared = typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right));
    return (compared || Number(a.id) - Number(b.id)) * direction;
  });
}

/** Customers order by name ascending unless told otherwise (WooCommerce's default). */
export function sortCustomers(items: Json[], query: URLSearchParams): Json[] {
  return ordered(items, query, { orderby: 'name', order: 'asc' }, (item, orderby) =>
    orderby === 'id' || orderby === 'include'
      ? Number(item.id)
      : orderby === 'registered_date'
        ? String(item.date_created_gmt)
        : `${String(item.first_name)} ${String(item.last_name)}`,
  );
}

/** Subscriptions order by date, newest first, unless told otherwise (the orders controller's default). */
export function sortSubscriptions(items: Json[], query: URLSearchParams): Json[] {
  return ordered(items, query, { orderby: 'date', order: 'desc' }, (item, orderby) => (orderby === 'id' ? Number(item.id) : String(item.date_created_gmt)));
}
