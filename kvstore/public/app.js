// The kvstore console. It talks to /api with the session cookie and echoes the CSRF token on
// every write. User data only ever reaches the page through textContent and form values.
import { format, LANGUAGES, preferredLanguage } from './i18n.js';

const PAGE_SIZE = 20;
const state = {
  language: LANGUAGES.includes(localStorage.getItem('kv-language'))
    ? localStorage.getItem('kv-language')
    : preferredLanguage(navigator.languages),
  csrfToken: null,
  user: null,
  /** Cursors of the pages before the current one; the current page starts after the last. */
  cursors: [],
  currentCursor: null,
  nextCursor: null,
  /** key -> local epoch ms at which it expires (0 = never), for the countdown. */
  expiries: new Map(),
};

const $ = (selector) => document.querySelector(selector);
const t = (id, params) => format(state.language, id, params);
// Status messages of completed actions are set after the table is reloaded, so a message
// always describes what the table shows.

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function setStatus(message, kind = 'info') {
  const status = $('#status');
  status.textContent = message;
  status.dataset.kind = kind;
}

function translatePage() {
  document.documentElement.lang = state.language;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  $('#language').value = state.language;
  if (state.user) $('#whoami').textContent = t('signedInAs', { user: state.user });
  $('#page-number').textContent = t('page', { n: state.cursors.length + 1 });
  tick();
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = {
    method,
    headers: { 'Accept-Language': state.language, ...headers },
    credentials: 'same-origin',
  };
  if (method !== 'GET' && state.csrfToken) init.headers['X-CSRF-Token'] = state.csrfToken;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 401 && state.user) {
    showLogin(t('sessionEnded'));
    throw new ApiError(401, null);
  }
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      // not a problem document
    }
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.text();
}

const keyPath = (key) => `/api/kv/${key.split('/').map(encodeURIComponent).join('/')}`;

function showLogin(message) {
  state.user = null;
  state.csrfToken = null;
  $('#login-view').hidden = false;
  $('#kv-view').hidden = true;
  $('#logout').hidden = true;
  $('#whoami').textContent = '';
  if (message) setStatus(message, 'error');
}

function showConsole(session) {
  state.user = session.user;
  state.csrfToken = session.csrfToken;
  $('#login-view').hidden = true;
  $('#kv-view').hidden = false;
  $('#logout').hidden = false;
  $('#whoami').textContent = t('signedInAs', { user: state.user });
  state.cursors = [];
  state.currentCursor = null;
  return loadPage();
}

function fail(error) {
  if (error instanceof ApiError && error.status === 401) return;
  setStatus(t('error', { message: error.message }), 'error');
}

function ttlText(key) {
  const expiresAt = state.expiries.get(key);
  if (!expiresAt) return t('noExpiry');
  const left = Math.ceil((expiresAt - Date.now()) / 1000);
  return left > 0 ? t('seconds', { n: left }) : t('expired');
}

/** The live countdown: refreshes every TTL cell once a second. */
function tick() {
  for (const cell of document.querySelectorAll('td.ttl')) {
    const key = cell.closest('tr').dataset.key;
    cell.textContent = ttlText(key);
    cell.closest('tr').classList.toggle('expired', cell.textContent === t('expired'));
  }
}

function renderRow(item) {
  state.expiries.set(item.key, item.ttl > 0 ? Date.now() + item.ttl * 1000 : 0);
  const row = el('tr');
  row.dataset.key = item.key;
  row.dataset.version = String(item.version);
  const valueCell = el('td', { class: 'value' }, el('pre', { text: item.value }));
  const ttlCell = el('td', { class: 'ttl', text: ttlText(item.key) });
  const actions = el('td', { class: 'actions' });

  const startEdit = () => {
    const valueInput = el('textarea', { class: 'edit-value', rows: '2' });
    valueInput.value = item.value;
    const ttlInput = el('input', { class: 'edit-ttl', type: 'number', min: '0', step: '1' });
    const remaining = state.expiries.get(item.key);
    ttlInput.value = String(remaining ? Math.max(1, Math.ceil((remaining - Date.now()) / 1000)) : 0);
    valueCell.replaceChildren(valueInput);
    ttlCell.replaceChildren(ttlInput);
    ttlCell.classList.remove('ttl');
    actions.replaceChildren(
      el('button', {
        type: 'button',
        class: 'save',
        text: t('save'),
        onclick: () => save(valueInput.value, ttlInput.value),
      }),
      el('button', { type: 'button', class: 'cancel', text: t('cancel'), onclick: () => loadPage() }),
    );
    valueInput.focus();
  };

  const save = async (value, ttl) => {
    try {
      await api(keyPath(item.key), {
        method: 'PUT',
        body: { value, ttl: Number(ttl) || 0 },
        headers: { 'If-Match': `"${item.version}"` },
      });
      await loadPage();
      setStatus(t('saved', { key: item.key }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        setStatus(t('conflict', { key: item.key }), 'error');
        await loadPage();
      } else fail(error);
    }
  };

  const remove = async (button) => {
    if (button.dataset.armed !== 'yes') {
      button.dataset.armed = 'yes';
      button.textContent = t('confirmDelete');
      return;
    }
    try {
      await api(keyPath(item.key), { method: 'DELETE', headers: { 'If-Match': `"${item.version}"` } });
      await loadPage();
      setStatus(t('deleted', { key: item.key }));
    } catch (error) {
      fail(error);
    }
  };

  actions.append(
    el('button', { type: 'button', class: 'edit', text: t('edit'), onclick: startEdit }),
    el('button', {
      type: 'button',
      class: 'delete',
      text: t('delete'),
      onclick: (event) => remove(event.currentTarget),
    }),
  );
  row.append(el('td', { class: 'key', text: item.key }), valueCell, ttlCell, actions);
  return row;
}

let pageRequest = 0;

async function loadPage() {
  // Only the latest request may render: an older answer arriving late would undo newer state.
  const request = ++pageRequest;
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), values: 'true', prefix: $('#prefix').value });
  if (state.currentCursor) query.set('cursor', state.currentCursor);
  try {
    const page = await api(`/api/kv?${query}`);
    if (request !== pageRequest) return;
    state.expiries.clear();
    state.nextCursor = page.nextCursor;
    $('#keys tbody').replaceChildren(...page.items.map(renderRow));
    $('#empty').hidden = page.items.length > 0;
    $('#next').disabled = !page.nextCursor;
    $('#prev').disabled = state.cursors.length === 0;
    $('#page-number').textContent = t('page', { n: state.cursors.length + 1 });
  } catch (error) {
    fail(error);
  }
}

async function exportAll() {
  try {
    const doc = await api('/api/export');
    const blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
    const link = el('a', { href: URL.createObjectURL(blob), download: 'kvstore-export.json' });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    setStatus(t('exported', { n: doc.items.length }));
  } catch (error) {
    fail(error);
  }
}

async function importFile(file) {
  let doc;
  try {
    doc = JSON.parse(await file.text());
  } catch {
    doc = null;
  }
  if (!doc || !Array.isArray(doc.items)) {
    setStatus(t('badImport'), 'error');
    return;
  }
  try {
    const result = await api('/api/import', { method: 'POST', body: { items: doc.items } });
    await loadPage();
    setStatus(t('imported', { n: result.imported }));
  } catch (error) {
    fail(error);
  }
}

function wire() {
  $('#language').addEventListener('change', (event) => {
    state.language = event.target.value;
    localStorage.setItem('kv-language', state.language);
    translatePage();
  });
  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      const session = await api('/api/auth/login', {
        method: 'POST',
        body: { username: form.get('username'), password: form.get('password') },
      });
      event.target.reset();
      setStatus('');
      await showConsole(session);
    } catch (error) {
      setStatus(
        error instanceof ApiError && error.status === 401
          ? t('loginFailed')
          : t('error', { message: error.message }),
        'error',
      );
    }
  });
  $('#logout').addEventListener('click', async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      showLogin();
    }
  });
  $('#add-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const key = form.elements.key.value;
    try {
      await api(keyPath(key), {
        method: 'PUT',
        body: { value: form.elements.value.value, ttl: Number(form.elements.ttl.value) || 0 },
        headers: { 'If-None-Match': '*' },
      });
      form.reset();
      await loadPage();
      setStatus(t('added', { key }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setStatus(t('exists', { key }), 'error');
      else fail(error);
    }
  });
  $('#refresh').addEventListener('click', () => loadPage());
  $('#prefix').addEventListener('change', () => {
    state.cursors = [];
    state.currentCursor = null;
    loadPage();
  });
  $('#next').addEventListener('click', () => {
    if (!state.nextCursor) return;
    state.cursors.push(state.currentCursor);
    state.currentCursor = state.nextCursor;
    loadPage();
  });
  $('#prev').addEventListener('click', () => {
    if (state.cursors.length === 0) return;
    state.currentCursor = state.cursors.pop();
    loadPage();
  });
  $('#export').addEventListener('click', exportAll);
  $('#import').addEventListener('change', (event) => {
    const [file] = event.target.files;
    if (file)
      importFile(file).finally(() => {
        event.target.value = '';
      });
  });
  setInterval(tick, 1000);
}

async function boot() {
  wire();
  translatePage();
  try {
    const res = await fetch('/api/auth/session', { credentials: 'same-origin' });
    if (res.ok) {
      const session = await res.json();
      if (session.kind === 'session') return showConsole(session);
    }
  } catch {
    // offline or API down: show the login form
  }
  showLogin();
}

boot();
