// Conversations (GET /messages/sessions) with unread badges, and the chat: history paging, sending,
// delivery and read ticks (MESSAGE_STATUS_UPDATED), read receipts sent when a message is seen.
import { query } from './api.js';
import { describe } from './errors.js';
import { debounce, formatTime, h, mount } from './dom.js';
import { avatar, STATUS_TEXT } from './contacts.js';
import { icon } from './icons.js';
import { NoSocketAnswer } from './socket.js';

const PAGE_SIZE = 30;
const RANK = { SENDING: 0, SENT: 1, DELIVERED: 2, READ: 3 };
const TICKS = {
  SENDING: ['…', 'Sending'],
  SENT: ['✓', 'Sent'],
  DELIVERED: ['✓✓', 'Delivered'],
  READ: ['✓✓', 'Read'],
  FAILED: ['!', 'Not delivered'],
};

/** The later of two delivery states (events and answers can arrive in either order). */
function laterStatus(current, next) {
  if (!current) return next;
  if (!next) return current;
  if (next === 'FAILED') return current === 'SENDING' || current === 'SENT' ? 'FAILED' : current;
  if (current === 'FAILED') return next === 'DELIVERED' || next === 'READ' ? next : current;
  return (RANK[next] ?? 0) > (RANK[current] ?? 0) ? next : current;
}

/** The conversation id the server uses: both userIds in lexical order, joined by "-". */
export function sessionIdOf(a, b) {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

export class Chats {
  constructor(ctx) {
    this.ctx = ctx;
    this.sessions = [];
    this.current = null; // the open chat
    this.statusById = new Map(); // latest delivery state heard for own messages
    this.listElement = h('ul.list#conversation-list', { 'aria-label': 'Conversations' });
    this.element = h('section.chat#chat');
    this.refreshSessions = debounce(() => this.loadSessions(), 200);
    this.readPending = new Set();
    document.addEventListener('visibilitychange', () => this.markVisible());
  }

  totalUnread() {
    return this.sessions.reduce((sum, s) => sum + (s.unreadCount ?? 0), 0);
  }

  async loadSessions() {
    try {
      this.sessions = (await this.ctx.api.get('/messages/sessions')).data;
      this.renderList();
      this.ctx.refreshBadges();
    } catch (e) {
      this.ctx.toast(`Conversations could not be loaded: ${describe(e)}`);
    }
  }

  renderList() {
    if (this.sessions.length === 0) {
      mount(this.listElement, h('li.empty', 'No conversations yet. Pick a contact to start one.'));
      return;
    }
    mount(this.listElement, this.sessions.map((s) => h('li.item.conversation', {
      dataset: { sessionId: s.sessionId, unread: String(s.unreadCount ?? 0) },
      'aria-current': this.current?.sessionId === s.sessionId ? 'true' : false,
    },
    h('button.item-main', { onclick: () => this.open(this.peerOf(s)) },
      avatar(s.peer),
      h('span.item-text',
        h('span.item-title', s.peer.displayName ?? s.peer.userId, h('small.when', formatTime(s.updatedAt))),
        h('span.item-sub', s.lastMessage?.content ?? '')),
      s.unreadCount ? h('span.badge.unread', { title: `${s.unreadCount} unread` }, String(s.unreadCount)) : null))));
  }

  /** A directory entry for a conversation's peer (the contacts list knows the SIP URI). */
  peerOf(session) {
    const known = this.ctx.contactsFind?.(session.peer.userId);
    return { ...session.peer, sipUri: known?.sipUri ?? `sip:${session.peer.userId}`, ...(known ?? {}) };
  }

  showPlaceholder() {
    const main = this.ctx.mainElement();
    if (main) mount(main, h('div.placeholder', h('p', 'Pick a contact or a conversation to chat, or press ', icon('phone'), ' to call.')));
  }

  /** Opens the chat with a peer ({userId, displayName, sipUri, status}). */
  async open(peer) {
    const sessionId = sessionIdOf(this.ctx.me.userId, peer.userId);
    if (this.current?.sessionId !== sessionId) {
      this.close();
      this.current = {
        sessionId, peer: { ...peer }, messages: new Map(), hasMore: false, pages: 0, anchor: null, loading: false,
      };
    }
    this.reopen();
    await this.loadPage(true);
  }

  reopen() {
    if (!this.current) {
      this.showPlaceholder();
      return;
    }
    if (this.ctx.tab === 'admin') this.ctx.selectTab('chats');
    const main = this.ctx.mainElement();
    if (!main.contains(this.element)) mount(main, this.element);
    this.renderChat(true);
    this.renderList();
  }

  close() {
    this.observer?.disconnect();
    this.current = null;
  }

  /** Reads the newest page again (after a reconnect). */
  async reload() {
    if (!this.current) return;
    this.current.pages = 0;
    this.current.anchor = null;
    await this.loadPage(true);
  }

  /**
   * History is newest first. The first page fixes an anchor just after its newest message; older pages
   * are read with before=anchor and a page number, so messages arriving meanwhile do not shift them
   * (and any overlap is dropped by messageId).
   */
  async loadPage(first) {
    const chat = this.current;
    if (!chat || chat.loading) return;
    chat.loading = true;
    const page = first ? 0 : chat.pages;
    try {
      const params = { size: PAGE_SIZE, page, before: first ? undefined : chat.anchor };
      const history = (await this.ctx.api.get(`/messages/sessions/${encodeURIComponent(chat.sessionId)}${query(params)}`)).data;
      if (this.current !== chat) return;
      if (history.peer) chat.peer = { ...chat.peer, ...history.peer, sipUri: chat.peer.sipUri };
      for (const m of history.messages) this.put(chat, m);
      if (first) {
        const newest = history.messages[0];
        chat.anchor = newest ? Date.parse(newest.timestamp) + 1 : Date.now();
        chat.pages = 1;
      } else {
        chat.pages++;
      }
      chat.hasMore = history.hasMore;
      this.renderChat(first, !first);
    } catch (e) {
      this.ctx.toast(`Messages could not be loaded: ${describe(e)}`);
    } finally {
      chat.loading = false;
    }
  }

  put(chat, m) {
    const old = chat.messages.get(m.messageId);
    const status = m.isOwn ? laterStatus(laterStatus(old?.status, m.status), this.statusById.get(m.messageId)) : laterStatus(old?.status, m.status);
    chat.messages.set(m.messageId, { ...old, ...m, status });
  }

  async send(text) {
    const chat = this.current;
    const content = text.trim();
    if (!chat || !content) return;
    const clientMsgId = crypto.randomUUID();
    const localId = `local:${clientMsgId}`;
    const me = this.ctx.me;
    this.put(chat, {
      messageId: localId, from: me.sipUri, to: chat.peer.sipUri, type: 'TEXT', content, timestamp: new Date().toISOString(), status: 'SENDING', isOwn: true,
    });
    this.renderChat(true);
    try {
      const body = { to: chat.peer.sipUri, type: 'TEXT', content, metadata: { clientMsgId } };
      const sent = await this.sendOnSocket(body) ?? (await this.ctx.api.post('/messages', body)).data;
      chat.messages.delete(localId);
      this.put(chat, { ...sent, isOwn: true });
      this.refreshSessions();
    } catch (e) {
      const local = chat.messages.get(localId);
      if (local) local.status = 'FAILED';
      this.ctx.toast(`Message not sent: ${describe(e)}`);
    }
    if (this.current === chat) this.renderChat(false);
  }

  /**
   * The message as the server stored it, sent over the event socket when it is open; null when the socket
   * gave no answer (not open, closed meanwhile, silent), so the caller POSTs the same body instead: the
   * clientMsgId makes that safe. A refusal (ApiError) is thrown as the POST's would be, except a 401, which
   * the POST repeats so that the usual handling of a lost login applies (nothing was stored).
   */
  async sendOnSocket(body) {
    try {
      return await this.ctx.socket.sendMessage(body);
    } catch (e) {
      if (e instanceof NoSocketAnswer || !this.ctx.socket || e.status === 401) return null;
      throw e;
    }
  }

  handleEvent(frame) {
    const data = frame.data ?? {};
    const chat = this.current;
    if (frame.type === 'MESSAGE_RECEIVED') {
      if (chat && data.sessionId === chat.sessionId) {
        this.put(chat, { ...data, status: 'DELIVERED', isOwn: false });
        this.renderChat(false);
      }
      this.refreshSessions();
    } else if (frame.type === 'MESSAGE_STATUS_UPDATED') {
      this.statusById.set(data.messageId, laterStatus(this.statusById.get(data.messageId), data.newStatus));
      const m = chat?.messages.get(data.messageId);
      if (m && m.isOwn) {
        m.status = laterStatus(m.status, data.newStatus);
        this.renderChat(false);
      }
    }
  }

  presenceChanged(change) {
    let changed = false;
    for (const s of this.sessions) {
      if (s.peer.userId === change.userId) {
        s.peer.status = change.newStatus;
        changed = true;
      }
    }
    if (changed) this.renderList();
    if (this.current?.peer.userId === change.userId) {
      this.current.peer.status = change.newStatus;
      this.current.peer.statusMessage = change.statusMessage ?? null;
      this.renderHeader();
    }
  }

  // --- rendering ---

  renderChat(scrollToEnd, keepOffsetFromEnd) {
    const chat = this.current;
    if (!chat) return;
    if (!this.header) this.buildChat();
    this.renderHeader();
    const list = this.messageList;
    const nearEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const fromEnd = list.scrollHeight - list.scrollTop;
    const messages = [...chat.messages.values()].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp)
      || String(a.messageId).localeCompare(String(b.messageId)));
    this.observer?.disconnect();
    this.observer = new IntersectionObserver((entries) => this.seen(entries), { root: list, threshold: 0.5 });
    mount(list,
      chat.hasMore ? h('li.older', h('button.ghost#load-older', { onclick: () => this.loadPage(false) }, 'Load older messages')) : null,
      messages.length === 0 ? h('li.empty', 'No messages yet. Say hello!') : null,
      messages.map((m) => this.renderMessage(m)));
    if (keepOffsetFromEnd) list.scrollTop = list.scrollHeight - fromEnd;
    else if (scrollToEnd || nearEnd) list.scrollTop = list.scrollHeight;
  }

  renderMessage(m) {
    const [tick, label] = TICKS[m.status] ?? ['', m.status];
    const el = h(`li.msg.${m.isOwn ? 'own' : 'theirs'}`, { dataset: { messageId: m.messageId, status: m.status } },
      h('div.bubble', h('p.text', m.content),
        h('span.meta', formatTime(m.timestamp),
          m.isOwn ? h(`span.tick.${String(m.status).toLowerCase()}`, { title: label, 'aria-label': label }, tick) : null)));
    if (!m.isOwn && m.status !== 'READ') this.observer.observe(el);
    return el;
  }

  buildChat() {
    this.header = h('header.chat-head');
    this.messageList = h('ol.messages#messages', { 'aria-live': 'polite' });
    const input = h('textarea#composer-input', {
      rows: 2, maxlength: 4000, placeholder: 'Write a message…', 'aria-label': 'Message',
      onkeydown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault();
          form.requestSubmit();
        }
      },
    });
    const form = h('form.composer', {
      onsubmit: (e) => {
        e.preventDefault();
        const text = input.value;
        input.value = '';
        this.send(text);
        input.focus();
      },
    }, input, h('button.primary#composer-send', { type: 'submit' }, 'Send'));
    mount(this.element, this.header, this.messageList, form);
  }

  renderHeader() {
    const peer = this.current.peer;
    mount(this.header, avatar(peer),
      h('div.chat-title', h('strong#chat-peer', peer.displayName ?? peer.userId),
        h('small', h('span#chat-peer-status', STATUS_TEXT[peer.status] ?? peer.status ?? ''),
          peer.statusMessage ? ` · ${peer.statusMessage}` : '', ` · ${peer.userId}`)),
      h('div.spacer'),
      h('button.primary#chat-call', { onclick: () => this.ctx.call(peer), title: `Call ${peer.displayName ?? peer.userId}` }, icon('phone'), 'Call'),
      h('button.primary#chat-video-call', { onclick: () => this.ctx.call(peer, { video: true }), title: `Video call ${peer.displayName ?? peer.userId}` }, icon('video'), 'Video'));
  }

  // --- read receipts ---

  seen(entries) {
    for (const entry of entries) {
      if (entry.isIntersecting) entry.target.dataset.visible = 'true';
      else delete entry.target.dataset.visible;
    }
    this.markVisible();
  }

  /** Marks the received messages on screen as read, while the page is visible. */
  markVisible() {
    const chat = this.current;
    if (!chat || document.visibilityState !== 'visible' || !this.messageList?.isConnected) return;
    for (const el of this.messageList.querySelectorAll('li.msg.theirs[data-visible="true"]')) {
      const m = chat.messages.get(el.dataset.messageId);
      if (m && m.status !== 'READ') this.markRead(chat, m);
    }
  }

  async markRead(chat, m) {
    if (this.readPending.has(m.messageId)) return;
    this.readPending.add(m.messageId);
    try {
      await this.ctx.api.put(`/messages/${encodeURIComponent(m.messageId)}/read`);
      m.status = 'READ';
      this.refreshSessions();
    } catch (e) {
      this.ctx.toast(`Could not send the read receipt: ${describe(e)}`);
    } finally {
      this.readPending.delete(m.messageId);
    }
  }
}
