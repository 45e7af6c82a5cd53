// The event WebSocket (/ws/events?token=): reconnects with exponential backoff, pings every 30 s and
// keeps client frames (ICE candidates) that were sent while it was down until it is open again. Sends
// chat messages as SEND_MESSAGE frames while it is open (the answer is MESSAGE_SENT or ERROR with the
// clientMsgId).

import { ApiError } from './errors.js';

const PING_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
const OUTBOX_LIMIT = 200;
const SEND_TIMEOUT_MS = 15_000;

/** The HTTP status the POST answers with each error code (400 for the others). */
const HTTP_STATUS = { AUTH_FAILED: 401, TOKEN_EXPIRED: 401, INVALID_TOKEN: 401, FORBIDDEN: 403, NOT_FOUND: 404, SERVER_ERROR: 500, SIP_ERROR: 500 };

/** A SEND_MESSAGE that got no answer on the socket (closed, or too slow): the caller may POST it instead. */
export class NoSocketAnswer extends Error {}

export class EventSocket {
  /**
   * @param token the login token
   * @param handlers onEvent(frame), onState('connecting'|'open'|'reconnecting', retryInMs),
   *                 onAuthLost(code) when the server refuses the token (close 1008)
   */
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.attempts = 0;
    this.outbox = [];
    this.sends = new Map(); // clientMsgId -> { resolve, reject, timer } of SEND_MESSAGE frames awaiting their answer
    this.stopped = false;
    this.ws = null;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws/events?token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    this.handlers.onState?.(this.attempts === 0 ? 'connecting' : 'reconnecting');
    ws.onopen = () => {
      const reconnected = this.attempts > 0 || this.everOpened;
      this.attempts = 0;
      this.everOpened = true;
      this.pingTimer = setInterval(() => this.send({ type: 'PING', timestamp: new Date().toISOString() }), PING_MS);
      for (const frame of this.outbox.splice(0)) ws.send(JSON.stringify(frame));
      this.handlers.onState?.('open', 0, reconnected);
    };
    ws.onmessage = (e) => {
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      if (this.answered(frame)) return;
      this.handlers.onEvent?.(frame);
    };
    ws.onclose = (e) => {
      clearInterval(this.pingTimer);
      this.abandonSends();
      if (this.ws !== ws || this.stopped) return;
      if (e.code === 1008 && /TOKEN/.test(e.reason)) {
        this.stopped = true;
        this.handlers.onAuthLost?.(e.reason);
        return;
      }
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
      this.attempts++;
      this.handlers.onState?.('reconnecting', delay);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  /** Sends a client frame now, or when the socket is open again. */
  send(frame) {
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
    } else if (frame.type !== 'PING' && this.outbox.length < OUTBOX_LIMIT) {
      this.outbox.push(frame);
    }
  }

  /**
   * Sends a message (the body of POST /messages, with metadata.clientMsgId) as a SEND_MESSAGE frame and
   * resolves with the stored message, or rejects with the ApiError the POST would give. Rejects with
   * NoSocketAnswer at once when the socket is not open, and when it closes or stays silent before the
   * answer: then the caller POSTs the same body, and the clientMsgId makes sure it is sent once.
   */
  sendMessage(body) {
    const clientMsgId = body?.metadata?.clientMsgId;
    if (this.ws?.readyState !== WebSocket.OPEN || !clientMsgId || this.sends.has(clientMsgId)) {
      return Promise.reject(new NoSocketAnswer('socket not open'));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sends.delete(clientMsgId);
        reject(new NoSocketAnswer('no answer on the socket'));
      }, SEND_TIMEOUT_MS);
      this.sends.set(clientMsgId, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ type: 'SEND_MESSAGE', data: body }));
    });
  }

  /** Settles the SEND_MESSAGE a MESSAGE_SENT or ERROR frame answers; true when it answered one. */
  answered(frame) {
    const clientMsgId = frame.data?.clientMsgId;
    const pending = clientMsgId && (frame.type === 'MESSAGE_SENT' || frame.type === 'ERROR') && this.sends.get(clientMsgId);
    if (!pending) return false;
    this.sends.delete(clientMsgId);
    clearTimeout(pending.timer);
    if (frame.type === 'MESSAGE_SENT') {
      pending.resolve(frame.data.message);
    } else {
      const code = frame.error?.code;
      pending.reject(new ApiError(HTTP_STATUS[code] ?? 400, code, frame.error?.message, frame.error?.details));
    }
    return true;
  }

  abandonSends() {
    for (const pending of this.sends.values()) {
      clearTimeout(pending.timer);
      pending.reject(new NoSocketAnswer('socket closed'));
    }
    this.sends.clear();
  }

  stop() {
    this.abandonSends();
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    try {
      this.ws?.close(1000);
    } catch {
      // already closed
    }
    this.ws = null;
  }
}
