// The event WebSocket (/ws/events?token=): reconnects with exponential backoff, pings every 30 s and
// keeps client frames (ICE candidates) that were sent while it was down until it is open again.

const PING_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
const OUTBOX_LIMIT = 200;

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
      this.handlers.onEvent?.(frame);
    };
    ws.onclose = (e) => {
      clearInterval(this.pingTimer);
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

  stop() {
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
