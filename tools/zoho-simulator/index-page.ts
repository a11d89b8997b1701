// The HTML page at `/`: what a person trying the bridge wants to see, i.e. the lists, who is in
// them and in which state, and where each DC lives.
import { DATA_CENTRES } from './datacenters.ts';
import { escapeHtml } from './http-kit.ts';
import type { MailingLists } from './mailing-lists.ts';

export function renderIndexPage(lists: MailingLists, urls: { accountsUrl: (dc: string) => string; campaignsUrl: (dc: string) => string }): string {
  const sections = lists.all().map((list) => {
    const rows = [...list.contacts.values()].map((c) => {
      const fields = Object.entries(c.fields)
        .filter(([name]) => name !== 'Contact Email')
        .map(([name, value]) => `${escapeHtml(name)}: ${escapeHtml(value)}`)
        .join('<br>');
      return `<tr><td>${escapeHtml(c.email)}</td><td class="${c.status}">${c.status}</td><td>${fields}</td>` + `<td>${escapeHtml(c.source ?? '')}</td></tr>`;
    });
    const body = rows.length > 0 ? rows.join('') : '<tr><td colspan="4"><em>no contacts yet</em></td></tr>';
    return (
      `<h2>${escapeHtml(list.listname)} <small>listkey <code>${escapeHtml(list.listkey)}</code>` +
      `${list.doubleOptIn ? ' · double opt-in' : ''}</small></h2>` +
      `<table><tr><th>Email</th><th>Status</th><th>Fields</th><th>Source</th></tr>${body}</table>`
    );
  });
  const dcRows = DATA_CENTRES.map(
    (dc) => `<tr><td>${dc}</td><td><code>${escapeHtml(urls.accountsUrl(dc))}</code></td>` + `<td><code>${escapeHtml(urls.campaignsUrl(dc))}</code></td></tr>`,
  ).join('');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Zoho simulator</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
.active{color:#060}.pending{color:#a60}.unsubscribed{color:#a00}small{font-weight:normal;color:#666}</style></head>
<body><h1>Zoho Campaigns simulator</h1><p>Reload to see what the bridge has synced.</p>
${sections.join('\n')}
<h2>Data centres</h2><table><tr><th>DC</th><th>Accounts</th><th>Campaigns</th></tr>${dcRows}</table></body></html>`;
}
