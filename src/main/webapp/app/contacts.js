// Contacts: the directory (GET /users) with search and live presence (USER_STATUS_CHANGED).
import { query } from './api.js';
import { describe } from './errors.js';
import { debounce, h, initials, mount } from './dom.js';
import { icon } from './icons.js';

export const STATUS_TEXT = { ONLINE: 'Online', AWAY: 'Away', BUSY: 'Busy', OFFLINE: 'Offline' };
const ORDER = { ONLINE: 0, AWAY: 1, BUSY: 2, OFFLINE: 3 };

/**
 * What to call for text typed in the dial field: a SIP URI as is, user@host with sip: added, or a number
 * (digits, *, #, +) at the host and port of the URI the user logged in with. Null when it is none of these.
 */
export function dialTarget(text, ownSipUri) {
  const value = (text ?? '').trim();
  if (/^sips?:[^@\s]+@[^@\s]+$/i.test(value)) return value;
  if (/^[^@\s:]+@[^@\s:]+(:\d+)?$/.test(value)) return `sip:${value}`;
  const server = /^sips?:[^@\s]+@([^;?\s]+)/i.exec(ownSipUri ?? '');
  if (/^[0-9*#+]{1,32}$/.test(value) && server) return `sip:${value}@${server[1]}`;
  return null;
}

export function avatar(person) {
  const status = (person.status ?? 'OFFLINE').toLowerCase();
  return h('span.avatar', { 'aria-hidden': 'true' }, initials(person.displayName ?? person.userId),
    h(`span.presence.${status}`, { title: STATUS_TEXT[person.status] ?? '' }));
}

export class Contacts {
  constructor(ctx) {
    this.ctx = ctx;
    this.users = [];
    this.search = '';
    this.total = 0;
    this.list = h('ul.list#contact-list', { 'aria-label': 'Contacts' });
    this.searchInput = h('input#contact-search', {
      type: 'search', placeholder: 'Search name or SIP URI', maxlength: 100, 'aria-label': 'Search contacts',
      oninput: debounce(() => {
        this.search = this.searchInput.value.trim();
        this.load();
      }, 250),
    });
    this.dialInput = h('input#dial-uri', {
      type: 'text', placeholder: 'SIP address or number', maxlength: 255, spellcheck: 'false', 'aria-label': 'SIP address or number to call',
    });
    const dialForm = h('form.panel-head.dial#dial-form', {
      onsubmit: (e) => {
        e.preventDefault();
        const text = this.dialInput.value.trim();
        const target = dialTarget(text, this.ctx.api.session?.sipUri);
        if (!target) {
          this.ctx.toast('Enter a SIP address such as sip:bob@example.com, or a number.');
          return;
        }
        this.ctx.call({ userId: target, sipUri: target, displayName: text });
      },
    }, this.dialInput, h('button.icon.call-button#dial-call', { type: 'submit', title: 'Call', 'aria-label': 'Call this address' }, icon('phone')));
    this.element = h('section.contacts', h('div.panel-head', this.searchInput), dialForm, this.list);
  }

  async load() {
    const search = this.search;
    try {
      const page = (await this.ctx.api.get(`/users${query({ search, size: 100 })}`)).data;
      if (search !== this.search) return; // an older search answered late
      this.users = page.content.filter((u) => u.userId !== this.ctx.me.userId);
      this.total = page.totalElements;
      this.render();
    } catch (e) {
      this.ctx.toast(`Contacts could not be loaded: ${describe(e)}`);
    }
  }

  presenceChanged(change) {
    const user = this.users.find((u) => u.userId === change.userId);
    if (!user) {
      if (!this.search && change.userId !== this.ctx.me.userId) this.load(); // someone new
      return;
    }
    user.status = change.newStatus;
    user.statusMessage = change.statusMessage ?? null;
    this.render();
  }

  find(userId) {
    return this.users.find((u) => u.userId === userId);
  }

  render() {
    const sorted = [...this.users].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9)
      || (a.displayName ?? a.userId).localeCompare(b.displayName ?? b.userId));
    if (sorted.length === 0) {
      mount(this.list, h('li.empty', this.search ? `Nobody matches “${this.search}”.` : 'No contacts yet.'));
      return;
    }
    mount(this.list, sorted.map((u) => h('li.item.contact', {
      dataset: { userId: u.userId, status: u.status },
    },
    h('button.item-main', { onclick: () => this.ctx.openChat(u), title: `Chat with ${u.displayName ?? u.userId}` },
      avatar(u),
      h('span.item-text',
        h('span.item-title', u.displayName ?? u.userId),
        h('span.item-sub', h('span.status-text', STATUS_TEXT[u.status] ?? u.status),
          u.statusMessage ? ` · ${u.statusMessage}` : ` · ${u.userId}`))),
    h('button.icon.call-button', {
      onclick: () => this.ctx.call(u), title: `Call ${u.displayName ?? u.userId}`, 'aria-label': `Call ${u.displayName ?? u.userId}`,
    }, icon('phone')),
    h('button.icon.video-call-button', {
      onclick: () => this.ctx.call(u, { video: true }), title: `Video call ${u.displayName ?? u.userId}`,
      'aria-label': `Video call ${u.displayName ?? u.userId}`,
    }, icon('video')))));
  }
}
