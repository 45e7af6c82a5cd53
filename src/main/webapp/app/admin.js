// Admin dashboard: GET /stats/summary and the call records of GET /admin/calls (admin role only).
import { query } from './api.js';
import { describe } from './errors.js';
import { formatDuration, formatTime, h, mount } from './dom.js';

const PAGE_SIZE = 20;
const REFRESH_MS = 15_000;

const STATS = [
  ['totalUsers', 'Users'],
  ['onlineUsers', 'Online now'],
  ['totalCalls', 'Calls'],
  ['activeCalls', 'Active calls'],
  ['totalMessages', 'Messages'],
  ['messagesLast24h', 'Messages, last 24 h'],
  ['serverUptime', 'Server uptime'],
];

function uptime(seconds) {
  const d = Math.floor(seconds / 86400);
  return d > 0 ? `${d} d ${formatDuration(seconds % 86400)}` : formatDuration(seconds);
}

export class AdminDashboard {
  constructor(ctx) {
    this.ctx = ctx;
    this.page = 0;
    this.stats = h('div.stats#stats');
    this.records = h('tbody');
    this.pager = h('div.pager');
    this.updated = h('small.muted');
    this.element = h('section.dashboard#dashboard',
      h('header.dash-head', h('h2', 'Dashboard'), this.updated, h('div.spacer'),
        h('button.ghost#dashboard-refresh', { onclick: () => this.load() }, 'Refresh')),
      this.stats,
      h('h3', 'Call records'),
      h('div.table-wrap', h('table.records#call-records',
        h('thead', h('tr', ['Started', 'From', 'To', 'Type', 'Status', 'Duration', 'Ended'].map((c) => h('th', c)))),
        this.records)),
      this.pager);
  }

  show(main) {
    mount(main, this.element);
    this.load();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.load(), REFRESH_MS);
  }

  hide() {
    clearInterval(this.timer);
  }

  async load() {
    try {
      const [summary, calls] = await Promise.all([
        this.ctx.api.get('/stats/summary'),
        this.ctx.api.get(`/admin/calls${query({ page: this.page, size: PAGE_SIZE })}`),
      ]);
      this.renderStats(summary.data);
      this.renderRecords(calls.data);
      this.updated.textContent = `Updated ${formatTime(summary.data.timestamp ?? new Date().toISOString())}`;
    } catch (e) {
      this.ctx.toast(`The dashboard could not be loaded: ${describe(e)}`);
    }
  }

  renderStats(s) {
    mount(this.stats, STATS.map(([key, label]) => h('div.stat', { dataset: { stat: key } },
      h('span.stat-value', key === 'serverUptime' ? uptime(s[key] ?? 0) : String(s[key] ?? '–')),
      h('span.stat-label', label))));
  }

  renderRecords(page) {
    if (page.content.length === 0) {
      mount(this.records, h('tr', h('td.empty', { colspan: 7 }, 'No calls yet.')));
    } else {
      mount(this.records, page.content.map((r) => h('tr', { dataset: { callId: r.callId, status: r.status } },
        h('td', formatTime(r.startTime)), h('td', r.from), h('td', r.to), h('td', r.type),
        h('td', h(`span.pill.${r.status.toLowerCase()}`, r.status)),
        h('td', formatDuration(r.duration)), h('td', r.endTime ? formatTime(r.endTime) : '—'))));
    }
    const pages = Math.max(1, page.totalPages);
    mount(this.pager,
      h('button.ghost', { disabled: this.page === 0, onclick: () => { this.page--; this.load(); } }, '‹ Newer'),
      h('span', `Page ${page.currentPage + 1} of ${pages} · ${page.totalElements} calls`),
      h('button.ghost', { disabled: this.page + 1 >= pages, onclick: () => { this.page++; this.load(); } }, 'Older ›'));
  }
}
