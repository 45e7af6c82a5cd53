// Call screens: the bar of the call in progress (mute, keypad, hang-up), the video of a VIDEO call (the
// far end large, the own camera small), the incoming-call prompt (answer, with video for a VIDEO call,
// reject) and the call history (GET /calls/history) with missed calls.
import { query } from './api.js';
import { describe } from './errors.js';
import { formatDuration, formatTime, h, mount } from './dom.js';
import { icon } from './icons.js';

const STATE_WORDS = {
  CALLING: 'Calling…',
  RINGING: 'Ringing…',
  ANSWERING: 'Connecting…',
  ACTIVE: 'In call',
  ENDED: 'Call ended',
  REJECTED: 'Declined',
  CANCELLED: 'Cancelled',
  FAILED: 'Call failed',
};

export class CallViews {
  constructor(ctx) {
    this.ctx = ctx;
    this.filter = 'ALL';
    this.missedCount = 0;
    this.callBar = h('section.call-bar#call-bar', { hidden: true, 'aria-live': 'polite' });
    this.incomingBox = h('section.incoming#incoming', { hidden: true, role: 'alertdialog', 'aria-label': 'Incoming call' });
    // the video elements live as long as the shell: re-rendering the call bar must not restart them
    this.remoteVideo = h('video.remote-video#remote-video', { autoplay: true, playsinline: true, muted: true, 'aria-label': 'Video of the other party' });
    this.remoteVideo.muted = true; // the sound plays through the phone's audio element
    this.localVideo = h('video.local-video#local-video', { autoplay: true, playsinline: true, muted: true, 'aria-label': 'Your camera' });
    this.localVideo.muted = true;
    this.noRemoteVideo = h('p.no-video', { hidden: true }, 'No video from the other party');
    this.videoStage = h('section.video-stage#video-stage', { hidden: true, 'aria-label': 'Video call' },
      this.remoteVideo, this.noRemoteVideo, this.localVideo);
    this.historyList = h('ul.list#call-history', { 'aria-label': 'Call history' });
    this.historyElement = h('section.history',
      h('div.panel-head.filters', ['ALL', 'MISSED', 'INCOMING', 'OUTGOING'].map((f) => h(`button.chip#history-${f.toLowerCase()}`, {
        'aria-pressed': 'false',
        onclick: () => {
          this.filter = f;
          this.loadHistory();
        },
      }, f[0] + f.slice(1).toLowerCase()))),
      this.historyList);
    this.keypadOpen = false;
    this.keysSent = '';
    this.timer = setInterval(() => this.tick(), 1000);
    this.lastEndedTimer = null;
  }

  dispose() {
    clearInterval(this.timer);
    clearTimeout(this.lastEndedTimer);
  }

  clearMissed() {
    this.missedCount = 0;
    this.ctx.refreshBadges();
  }

  async loadHistory() {
    const filter = this.filter;
    for (const chip of this.historyElement.querySelectorAll('.chip')) {
      chip.setAttribute('aria-pressed', String(chip.id === `history-${filter.toLowerCase()}`));
    }
    try {
      const page = (await this.ctx.api.get(`/calls/history${query({ type: filter, size: 50 })}`)).data;
      if (filter !== this.filter) return;
      this.renderHistory(page.content);
    } catch (e) {
      this.ctx.toast(`Call history could not be loaded: ${describe(e)}`);
    }
  }

  renderHistory(entries) {
    if (entries.length === 0) {
      mount(this.historyList, h('li.empty', this.filter === 'MISSED' ? 'No missed calls.' : 'No calls yet.'));
      return;
    }
    mount(this.historyList, entries.map((c) => {
      const missed = c.missed;
      const arrow = c.direction === 'OUTGOING' ? '↗' : '↙';
      const outcome = missed ? 'Missed' : c.state === 'ENDED' ? formatDuration(c.duration) : STATE_WORDS[c.state] ?? c.state;
      const peer = this.ctx.contactsFind(c.peer.userId) ?? { ...c.peer, sipUri: `sip:${c.peer.userId}` };
      return h(`li.item.call-entry${missed ? '.missed' : ''}`, {
        dataset: { callId: c.callId, state: c.state, direction: c.direction, type: c.type, duration: String(c.duration), missed: String(missed) },
      },
      h('span.direction', { title: c.direction === 'OUTGOING' ? 'Outgoing' : 'Incoming' }, arrow),
      h('span.item-text',
        h('span.item-title', c.peer.displayName ?? c.peer.userId, h('small.when', formatTime(c.createdAt))),
        h('span.item-sub', h('span.call-state', c.state), ' · ', h('span.call-outcome', outcome), c.type === 'VIDEO' ? ' · Video' : '')),
      h('button.icon.call-button', { onclick: () => this.ctx.call(peer), title: `Call ${c.peer.displayName ?? c.peer.userId} back`, 'aria-label': `Call ${c.peer.displayName ?? c.peer.userId} back` }, icon('phone')));
    }));
  }

  /** A call reached its final state: show it for a moment and read the history again. */
  callEnded(ended) {
    if (ended.missed && this.ctx.tab !== 'calls') {
      this.missedCount++;
      this.ctx.refreshBadges();
      this.ctx.toast(`Missed call from ${ended.peerName}.`, 'info');
    }
    if (ended.error) this.ctx.toast(`Call failed: ${describe(ended.error)}`);
    clearTimeout(this.lastEndedTimer);
    this.lastEndedTimer = setTimeout(() => {
      if (this.ctx.phone) this.ctx.phone.lastEnded = null;
      this.renderCall();
    }, 5000);
    setTimeout(() => this.loadHistory(), 300);
  }

  tick() {
    const call = this.ctx.phone?.call;
    if (call?.state === 'ACTIVE' && this.durationEl) {
      this.durationEl.textContent = formatDuration((Date.now() - call.answeredAt) / 1000);
    }
  }

  renderCall() {
    const phone = this.ctx.phone;
    this.renderIncoming(phone);
    const call = phone?.call;
    const ended = phone?.lastEnded;
    this.durationEl = null;
    if (!call) {
      this.keypadOpen = false;
      this.keysSent = '';
    }
    if (call) {
      this.durationEl = h('span.duration#call-duration', call.state === 'ACTIVE' ? formatDuration((Date.now() - call.answeredAt) / 1000) : '');
      const media = call.state === 'ACTIVE' && call.connection !== 'connected' ? ` · media ${call.connection}` : '';
      mount(this.callBar,
        h('span.call-icon', icon(call.video ? 'video' : 'phone')),
        h('div.call-info', h('strong', call.peerName),
          h('small', h('span#call-state', { dataset: { state: call.state, connection: call.connection } }, STATE_WORDS[call.state] ?? call.state), media, ' ', this.durationEl)),
        h('div.spacer'),
        h('button.ghost#call-mute', { onclick: () => phone.toggleMute(), 'aria-pressed': String(call.muted), disabled: !call.stream }, call.muted ? [icon('micOff'), 'Unmute'] : [icon('mic'), 'Mute']),
        h('button.ghost#call-keypad', {
          onclick: () => {
            this.keypadOpen = !this.keypadOpen;
            this.renderCall();
          },
          'aria-pressed': String(this.keypadOpen), 'aria-expanded': String(this.keypadOpen), disabled: call.state !== 'ACTIVE',
        }, 'Keypad'),
        h('button.danger#call-hangup', { onclick: () => phone.hangUp().catch((e) => this.ctx.toast(describe(e))) }, icon('hangUp'), 'Hang up'),
        this.keypadOpen && call.state === 'ACTIVE' ? this.keypad(phone) : null);
      this.callBar.hidden = false;
      this.callBar.dataset.state = call.state;
      this.callBar.dataset.video = String(call.video);
    } else if (ended) {
      const words = ended.missed ? `Missed call from ${ended.peerName}` : `${STATE_WORDS[ended.state] ?? ended.state} · ${ended.peerName}`;
      mount(this.callBar, h('span.call-icon', icon('phone')),
        h('div.call-info', h('strong', words),
          h('small', h('span#call-state', { dataset: { state: ended.state } }, ended.state),
            ended.state === 'ENDED' ? ` · ${formatDuration(ended.duration)}` : '',
            ended.reason ? ` · ${ended.reason}` : '')));
      this.callBar.hidden = false;
      this.callBar.dataset.state = ended.state;
    } else {
      this.callBar.hidden = true;
      mount(this.callBar);
    }
    this.renderVideo(call);
  }

  /** A VIDEO call shows the far end's video large and the own camera small; otherwise nothing. */
  renderVideo(call) {
    const show = Boolean(call?.video);
    this.videoStage.hidden = !show;
    const remote = show ? call.remoteStream : null;
    const local = show ? call.stream : null;
    if (this.remoteVideo.srcObject !== remote) this.remoteVideo.srcObject = remote;
    if (this.localVideo.srcObject !== local) this.localVideo.srcObject = local;
    const remoteHasVideo = Boolean(remote?.getVideoTracks().length);
    this.noRemoteVideo.hidden = !show || remoteHasVideo || call.state !== 'ACTIVE';
    this.remoteVideo.setAttribute('aria-label', show ? `Video of ${call.peerName}` : 'Video of the other party');
  }

  /** The in-call keypad: each key goes to the far end at once (an IVR, a voicemail PIN). */
  keypad(phone) {
    const shown = h('output.keys-sent#keys-sent', { 'aria-live': 'polite' }, this.keysSent);
    const press = async (key) => {
      try {
        await phone.sendDtmf(key);
        this.keysSent = (this.keysSent + key).slice(-24);
        shown.textContent = this.keysSent;
      } catch (e) {
        this.ctx.toast(`Key ${key} not sent: ${describe(e)}`);
      }
    };
    return h('div.keypad#keypad', { role: 'group', 'aria-label': 'Keypad' }, shown,
      ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'].map((key) => h('button.ghost.key', {
        onclick: () => press(key), 'aria-label': `Key ${key}`, dataset: { key },
      }, key)));
  }

  renderIncoming(phone) {
    const ringing = phone?.incoming ?? [];
    if (ringing.length === 0) {
      this.incomingBox.hidden = true;
      mount(this.incomingBox);
      return;
    }
    this.incomingBox.hidden = false;
    mount(this.incomingBox, ringing.map((c) => {
      const name = c.fromUser?.displayName ?? c.from;
      return h('div.incoming-card', { dataset: { callId: c.callId } },
        h('div.pulse', icon(c.type === 'VIDEO' ? 'video' : 'phone')),
        h('div.call-info', h('strong', c.type === 'VIDEO' ? `${name} is video calling` : `${name} is calling`), h('small', c.from),
          phone.call ? h('small', 'Answering ends your current call.') : null),
        h('div.actions',
          c.type === 'VIDEO' ? h('button.success.answer-video', {
            onclick: () => phone.answer(c.callId, { video: true }).catch((e) => this.ctx.toast(`Could not answer: ${describe(e)}`)),
            'aria-label': `Answer ${name} with video`,
          }, icon('video'), 'Video') : null,
          h('button.success.answer', {
            onclick: () => phone.answer(c.callId).catch((e) => this.ctx.toast(`Could not answer: ${describe(e)}`)),
            'aria-label': c.type === 'VIDEO' ? `Answer ${name} with audio only` : `Answer ${name}`,
          }, icon('phone'), c.type === 'VIDEO' ? 'Audio only' : 'Answer'),
          h('button.danger.reject', {
            onclick: () => phone.reject(c.callId).catch((e) => this.ctx.toast(`Could not reject: ${describe(e)}`)),
          }, icon('hangUp'), 'Reject')));
    }));
  }
}
