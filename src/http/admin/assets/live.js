// Live parts of the owner's pages, without inline script (the pages' CSP is script-src 'self').
// An element with data-live="/admin/live/…" is refreshed from that JSON address every few seconds
// (data-live-every, in seconds, default 5); how a page opts in is in docs/dashboard.md. Without
// JavaScript the page is the same, only as of its loading.
//
// The answer is { "fields": { name: value }, "stop"?: true, "reload"?: true }. Each element inside
// the live part with data-field="name" takes the value: a string or number becomes its text; an
// object may carry text, tone (ok, bad, wait, warn, neutral), hidden, value and max (progress
// bars) and href (same-site links only). Text is only ever set as text, never as HTML.
const TONES = ['ok', 'bad', 'wait', 'warn', 'neutral'];
const DEFAULT_EVERY_S = 5;
const SLOWEST_EVERY_S = 60;

function ageWords(seconds) {
  if (seconds < 60) return `${seconds} s ago`;
  return `${Math.floor(seconds / 60)} min ago`;
}

function setTone(element, tone) {
  if (!TONES.includes(tone)) return;
  if (element.classList.contains('badge')) {
    element.classList.remove(...TONES);
    element.classList.add(tone);
  } else {
    element.classList.remove(...TONES.map((name) => `tone-${name}`));
    element.classList.add(`tone-${tone}`);
  }
}

function apply(element, value) {
  const before = `${element.textContent}|${element.className}|${element.hidden}`;
  if (typeof value === 'string' || typeof value === 'number') {
    element.textContent = String(value);
  } else if (value && typeof value === 'object') {
    if (typeof value.text === 'string' || typeof value.text === 'number') element.textContent = String(value.text);
    if (typeof value.tone === 'string') setTone(element, value.tone);
    if (typeof value.hidden === 'boolean') element.hidden = value.hidden;
    if (typeof value.value === 'number') element.setAttribute('value', String(value.value));
    if (typeof value.max === 'number') element.setAttribute('max', String(value.max));
    if (typeof value.href === 'string' && value.href.startsWith('/') && !value.href.startsWith('//')) element.setAttribute('href', value.href);
  }
  if (`${element.textContent}|${element.className}|${element.hidden}` !== before) {
    element.classList.remove('just-changed');
    // Reading offsetWidth restarts the animation on an element that changed twice in a row.
    void element.offsetWidth;
    element.classList.add('just-changed');
  }
}

function startLivePart(part) {
  const url = part.getAttribute('data-live');
  if (!url?.startsWith('/') || url.startsWith('//')) return;
  const everyS = Math.max(1, Number(part.getAttribute('data-live-every')) || DEFAULT_EVERY_S);
  const ages = [...part.querySelectorAll('[data-live-age]')];
  let lastUpdate = Date.now();
  let failures = 0;
  let stopped = false;
  let timer;

  const showAge = () => {
    const seconds = Math.max(0, Math.round((Date.now() - lastUpdate) / 1000));
    for (const age of ages) {
      if (stopped) continue;
      age.hidden = false;
      age.dataset.state = failures > 0 ? 'stale' : 'fresh';
      age.textContent = failures > 0 ? `Updated ${ageWords(seconds)}. The bridge does not answer right now; trying again.` : `Updated ${ageWords(seconds)}`;
    }
  };
  const stop = (words) => {
    stopped = true;
    clearTimeout(timer);
    for (const age of ages) {
      age.dataset.state = 'stale';
      age.textContent = words;
    }
  };

  const poll = async () => {
    if (stopped) return;
    if (document.hidden) return schedule(everyS);
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
      // A session that ended answers with the sign-in page, not JSON.
      if (!(response.headers.get('content-type') || '').includes('application/json')) {
        return stop('Live updates stopped: sign in again, then reload the page.');
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const answer = await response.json();
      for (const [name, value] of Object.entries(answer.fields || {})) {
        for (const element of part.querySelectorAll(`[data-field="${CSS.escape(name)}"]`)) apply(element, value);
      }
      failures = 0;
      lastUpdate = Date.now();
      showAge();
      if (answer.reload === true) return window.location.reload();
      if (answer.stop === true) return stop('Done: nothing more changes here.');
      return schedule(everyS);
    } catch {
      failures += 1;
      showAge();
      return schedule(Math.min(SLOWEST_EVERY_S, everyS * 2 ** failures));
    }
  };
  const schedule = (seconds) => {
    clearTimeout(timer);
    timer = setTimeout(poll, seconds * 1000);
  };

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !stopped) schedule(0);
  });
  setInterval(showAge, 1000);
  showAge();
  schedule(everyS);
}

for (const part of document.querySelectorAll('[data-live]')) startLivePart(part);

// Settings' time zone: until the owner has chosen one, the browser's own zone is proposed (the
// owner still presses Save). Without JavaScript the list simply starts at UTC.
for (const select of document.querySelectorAll('select[data-browser-time-zone="propose"]')) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const option = zone && [...select.options].find((candidate) => candidate.value === zone);
  const note = select.parentElement?.querySelector('[data-browser-time-zone-note]');
  if (option && zone !== 'UTC') {
    select.value = zone;
    if (note) {
      note.textContent = `Proposed from your browser: ${option.textContent}. Press Save to use it.`;
      note.hidden = false;
    }
  }
}
