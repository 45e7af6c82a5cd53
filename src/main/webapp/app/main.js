// sipgw web client: login, the app shell, and the event socket wiring. Uses only the public REST
// (/api) and WebSocket (/ws/events) API.
import { Api } from './api.js';
import { describe } from './errors.js';
import { EventSocket } from './socket.js';
import { Phone } from './phone.js';
import { h, mount } from './dom.js';
import { Contacts } from './contacts.js';
import { Chats } from './chats.js';
import { CallViews } from './calls.js';
import { AdminDashboard } from './admin.js';

const LAST_URI_KEY = 'sipgw.lastSipUri';
const root = document.getElementById('app');

const ctx = {
  api: new Api((error) => authLost(error)),
  socket: null,
  phone: null,
  me: null,
  tab: 'contacts',
  toast,
  openChat: (peer) => chats.open(peer),
  contactsFind: (userId) => contacts?.find(userId),
  call: (peer, options) => startCall(peer, options),
  refreshBadges: () => renderTabs(),
};
let contacts;
let chats;
let calls;
let admin;
let expiryTimer;
let shell = null;

// --- notices ---

function toast(text, kind = 'error') {
  const box = document.getElementById('toasts') ?? document.body.appendChild(h('div#toasts'));
  const item = h(`div.toast.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, text);
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

// --- login ---

function showLogin(notice) {
  shell = null;
  document.title = 'sipgw — log in';
  const lastUri = localStorage.getItem(LAST_URI_KEY) ?? '';
  const error = h('p.form-error#login-error', { role: 'alert' }, notice ?? '');
  const uri = h('input#login-uri', {
    name: 'sipUri', type: 'text', required: true, autocomplete: 'username', value: lastUri,
    placeholder: `sip:alice@${location.hostname}:5060`, spellcheck: 'false',
  });
  const password = h('input#login-password', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const submit = h('button.primary#login-submit', { type: 'submit' }, 'Log in');
  const form = h('form.login-card', {
    onsubmit: async (e) => {
      e.preventDefault();
      const sipUri = uri.value.trim();
      if (!/^sips?:[^@\s]+@[^@\s]+$/i.test(sipUri)) {
        error.textContent = 'Enter a SIP URI such as sip:alice@example.com:5060.';
        return;
      }
      submit.disabled = true;
      submit.textContent = 'Registering…';
      error.textContent = '';
      try {
        await ctx.api.login(sipUri, password.value);
        localStorage.setItem(LAST_URI_KEY, sipUri);
        await enterApp();
      } catch (err) {
        error.textContent = describe(err);
        submit.disabled = false;
        submit.textContent = 'Log in';
        password.select();
      }
    },
  },
  h('h1', h('span.logo', '◉'), ' sipgw'),
  h('p.muted', 'Messages, presence, audio and video calls over SIP.'),
  h('label', { for: 'login-uri' }, 'SIP URI'), uri,
  h('label', { for: 'login-password' }, 'Password'), password,
  error, submit);
  mount(root, h('div.login-screen', form));
  (lastUri ? password : uri).focus();
}

// --- the app ---

async function enterApp() {
  const session = ctx.api.session;
  ctx.me = { userId: session.userId, displayName: session.displayName, status: 'ONLINE', statusMessage: '' };
  buildShell();
  ctx.phone = new Phone({
    api: ctx.api,
    send: (frame) => ctx.socket?.send(frame),
    onChange: () => calls.renderCall(),
    onEnded: (ended) => calls.callEnded(ended),
  });
  ctx.socket = new EventSocket(session.token, {
    onEvent: (frame) => dispatch(frame),
    onState: (state, retryIn, reconnected) => connectionChanged(state, retryIn, reconnected),
    onAuthLost: (code) => authLost({ code }),
  });
  ctx.socket.start();
  clearTimeout(expiryTimer);
  const left = session.expiresAt - Date.now();
  if (left < 2 ** 31) expiryTimer = setTimeout(() => authLost({ code: 'TOKEN_EXPIRED' }), Math.max(0, left));
  try {
    const profile = (await ctx.api.get('/auth/profile')).data;
    Object.assign(ctx.me, profile);
    renderMe();
  } catch (e) {
    if (!shell) return; // the token was refused: back at the login screen
    toast(describe(e));
  }
  await Promise.all([contacts.load(), chats.loadSessions(), calls.loadHistory()]);
}

function buildShell() {
  document.title = 'sipgw';
  contacts = new Contacts(ctx);
  chats = new Chats(ctx);
  calls = new CallViews(ctx);
  admin = ctx.api.session.isAdmin ? new AdminDashboard(ctx) : null;
  shell = {
    me: h('div.me'),
    connection: h('span.connection#connection', { dataset: { state: 'connecting' } }, 'Connecting…'),
    tabs: h('nav.tabs', { role: 'tablist' }),
    panel: h('div.panel'),
    main: h('main.main'),
  };
  const logout = h('button.ghost#logout', { onclick: () => logOut() }, 'Log out');
  mount(root,
    h('header.topbar', h('div.brand', h('span.logo', '◉'), ' sipgw'), shell.me, h('div.spacer'), shell.connection, logout),
    calls.callBar,
    calls.videoStage,
    h('div.layout', h('aside.sidebar', shell.tabs, shell.panel), shell.main),
    calls.incomingBox);
  renderMe();
  selectTab('contacts');
  chats.showPlaceholder();
}

const TABS = [
  ['contacts', 'Contacts'],
  ['chats', 'Chats'],
  ['calls', 'Calls'],
  ['admin', 'Dashboard'],
];

function selectTab(tab) {
  ctx.tab = tab;
  renderTabs();
  if (tab === 'contacts') mount(shell.panel, contacts.element);
  if (tab === 'chats') mount(shell.panel, chats.listElement);
  if (tab === 'calls') {
    calls.clearMissed();
    mount(shell.panel, calls.historyElement);
    calls.loadHistory();
  }
  if (tab === 'admin') {
    mount(shell.panel, h('div.panel-note', h('p', 'Server statistics and every call record are shown on the right.'),
      h('button.ghost', { onclick: () => selectTab('chats') }, 'Back to the chats')));
    admin.show(shell.main);
  } else {
    admin?.hide();
    if (chats.current && !shell.main.contains(chats.element)) chats.reopen();
    else if (!chats.current) chats.showPlaceholder();
  }
}

function renderTabs() {
  if (!shell) return;
  const badges = { chats: chats.totalUnread(), calls: calls.missedCount };
  mount(shell.tabs, TABS.filter(([id]) => id !== 'admin' || admin).map(([id, label]) =>
    h(`button.tab#tab-${id}`, {
      role: 'tab', 'aria-selected': String(ctx.tab === id), onclick: () => selectTab(id),
    }, label, badges[id] ? h('span.badge', { dataset: { badge: id } }, String(badges[id])) : null)));
}
ctx.selectTab = selectTab;
ctx.mainElement = () => shell?.main;

const STATUS_LABELS = { ONLINE: 'Online', AWAY: 'Away', BUSY: 'Busy', OFFLINE: 'Appear offline' };

function renderMe() {
  if (!shell) return;
  const me = ctx.me;
  const select = h('select#my-status', { 'aria-label': 'My status' },
    Object.entries(STATUS_LABELS).map(([value, label]) => h('option', { value, selected: me.status === value }, label)));
  const message = h('input#my-status-message', {
    type: 'text', maxlength: 200, placeholder: 'Status message', value: me.statusMessage ?? '', 'aria-label': 'Status message',
  });
  const save = async (e) => {
    e.preventDefault();
    try {
      await ctx.api.put('/auth/status', { status: select.value, statusMessage: message.value });
      me.status = select.value;
      me.statusMessage = message.value;
      toast('Status updated.', 'info');
      renderMe();
    } catch (err) {
      toast(describe(err));
    }
  };
  mount(shell.me,
    h(`span.presence.${me.status.toLowerCase()}`, { title: STATUS_LABELS[me.status] }),
    h('div.me-name', h('strong', me.displayName ?? me.userId), h('small', me.userId)),
    h('form.status-form', { onsubmit: save }, select, message, h('button.ghost#my-status-save', { type: 'submit' }, 'Set')));
}

// --- events ---

function dispatch(frame) {
  switch (frame.type) {
    case 'MESSAGE_RECEIVED':
    case 'MESSAGE_STATUS_UPDATED':
      chats.handleEvent(frame);
      break;
    case 'USER_STATUS_CHANGED':
      contacts.presenceChanged(frame.data);
      chats.presenceChanged(frame.data);
      break;
    case 'INCOMING_CALL':
    case 'CALL_STATE_CHANGED':
    case 'ICE_CANDIDATE_RECEIVED':
      ctx.phone.handleEvent(frame).catch((e) => toast(describe(e)));
      break;
    case 'ERROR':
      toast(`The server refused a request: ${frame.error?.message ?? frame.error?.code}`);
      break;
    default:
      break; // PONG and event types this client does not show
  }
}

function connectionChanged(state, retryIn, reconnected) {
  if (!shell) return;
  const text = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…' }[state];
  shell.connection.dataset.state = state;
  shell.connection.textContent = state === 'reconnecting' && retryIn ? `Reconnecting in ${Math.ceil(retryIn / 1000)} s…` : text;
  if (state === 'open' && reconnected) {
    // events sent while the socket was down are lost: read the current state again
    contacts.load();
    chats.loadSessions();
    chats.reload();
    calls.loadHistory();
  }
}

// --- leaving ---

function teardown() {
  clearTimeout(expiryTimer);
  ctx.socket?.stop();
  ctx.socket = null;
  ctx.phone?.dropAll();
  ctx.phone = null;
  admin?.hide();
  chats?.close();
  calls?.dispose();
  ctx.api.clearSession();
}

function authLost(error) {
  if (!shell) return;
  teardown();
  showLogin(errorWords(error.code));
}

function errorWords(code) {
  return code === 'TOKEN_EXPIRED' ? 'Your session has expired. Please log in again.'
    : 'Your session is no longer valid. Please log in again.';
}

async function logOut() {
  try {
    await ctx.phone?.hangUp();
  } catch {
    // the server ends the calls at logout anyway
  }
  ctx.socket?.stop(); // logout closes the socket: no reconnecting
  try {
    await ctx.api.post('/auth/logout');
  } catch {
    // an expired token is logged out already
  }
  teardown();
  showLogin('You have logged out.');
}

async function startCall(peer, options = {}) {
  if (ctx.phone.call) {
    toast('You are already in a call.');
    return;
  }
  try {
    await ctx.phone.dial(peer.sipUri, peer.displayName ?? peer.userId, options);
  } catch (e) {
    toast(`Call to ${peer.displayName ?? peer.userId} failed: ${describe(e)}`);
  }
}

// for the browser tests and the curious: the live call's RTCPeerConnection is window.sipgw.phone.call.pc
window.sipgw = {
  get phone() {
    return ctx.phone;
  },
  get socket() {
    return ctx.socket;
  },
  get me() {
    return ctx.me;
  },
};

// Closing the tab during a call: the far end learns it only from the gateway (RTCPeerConnection.close()
// is not signalled), so end the call with a request that outlives the page.
window.addEventListener('pagehide', () => {
  const call = ctx.phone?.call;
  const token = ctx.api.session?.token;
  if (call?.callId && token) {
    fetch(`/api/calls/${encodeURIComponent(call.callId)}`, { method: 'DELETE', keepalive: true, headers: { Authorization: `Bearer ${token}` } });
  }
});

// --- start ---

const saved = ctx.api.session;
if (saved?.token && saved.expiresAt > Date.now()) {
  enterApp().catch((e) => toast(describe(e)));
} else {
  if (saved) ctx.api.clearSession();
  showLogin(saved ? errorWords('TOKEN_EXPIRED') : '');
}
