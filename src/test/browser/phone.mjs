// What the browser<->softphone tests (audio.test.mjs, video.test.mjs) share: waiting for a condition,
// baresip's ctrl_tcp control socket, rtpengine's call list over its ng protocol, the SIP responses in
// baresip's trace, and the steps of a call between the web client's page and the phone.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import { launch } from './chromium.mjs';

export const WAIT = 20_000;

/** Calls `check` every 200 ms until it returns something truthy (returned) or `timeout` ms have passed. */
export const until = async (what, check, timeout = WAIT) => {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

// --- baresip's ctrl_tcp: JSON in netstrings; responses carry our token, events arrive unasked ---
export class Baresip {
  constructor(port) {
    this.port = port;
    this.buffer = Buffer.alloc(0);
    this.pending = new Map();
    this.events = [];
    this.next = 1;
  }

  async connect() {
    this.socket = await until('baresip ctrl_tcp', () => new Promise((resolve) => {
      const s = net.connect(this.port, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(null));
    }));
    this.socket.on('data', (chunk) => this.read(chunk));
  }

  read(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length + 1) return;
      const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString());
      this.buffer = this.buffer.subarray(colon + 1 + length + 1);
      if (message.event) {
        // RTCP reports arrive every few seconds per stream: kept, not logged
        if (message.type !== 'CALL_RTCP') console.log(`[baresip event] ${message.type} ${message.param ?? ''}`);
        this.events.push(message);
      } else if (message.response && this.pending.has(message.token)) {
        this.pending.get(message.token)(message);
        this.pending.delete(message.token);
      }
    }
  }

  /** Sends a menu command (dial, hangup, callstat, reginfo, ...) and returns its response. */
  command(command, params = '') {
    const token = String(this.next++);
    const body = Buffer.from(JSON.stringify({ command, params, token }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baresip did not answer ${command}`)), WAIT);
      this.pending.set(token, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
    });
  }

  /** Waits for an event of this type that arrived after index `from` of the event list. */
  event(type, from = 0) {
    return until(`baresip event ${type}`, () => this.events.slice(from).find((e) => e.type === type), 30_000);
  }

  close() {
    this.socket?.destroy();
  }
}

// --- rtpengine's ng protocol: just enough bencode for `list` ---
function bencode(value) {
  if (typeof value === 'string') return `${Buffer.byteLength(value)}:${value}`;
  if (typeof value === 'number') return `i${value}e`;
  if (Array.isArray(value)) return `l${value.map(bencode).join('')}e`;
  return `d${Object.keys(value).sort().map((k) => bencode(k) + bencode(value[k])).join('')}e`;
}

function bdecode(buffer) {
  let i = 0;
  const parse = () => {
    const c = String.fromCharCode(buffer[i]);
    if (c === 'i') {
      const end = buffer.indexOf('e', i);
      const n = Number(buffer.subarray(i + 1, end).toString());
      i = end + 1;
      return n;
    }
    if (c === 'l' || c === 'd') {
      i++;
      const items = [];
      while (buffer[i] !== 0x65) items.push(parse());
      i++;
      if (c === 'l') return items;
      const dict = {};
      for (let k = 0; k < items.length; k += 2) dict[items[k]] = items[k + 1];
      return dict;
    }
    const colon = buffer.indexOf(':', i);
    const length = Number(buffer.subarray(i, colon).toString());
    const s = buffer.subarray(colon + 1, colon + 1 + length).toString();
    i = colon + 1 + length;
    return s;
  };
  return parse();
}

/** The call-ids rtpengine holds (ng `list` to 127.0.0.1:ngPort). */
export function rtpengineCalls(ngPort) {
  const cookie = `test${Date.now()}`;
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('rtpengine did not answer list'));
    }, 3000);
    socket.on('message', (msg) => {
      const space = msg.indexOf(' ');
      if (msg.subarray(0, space).toString() !== cookie) return;
      clearTimeout(timer);
      socket.close();
      const reply = bdecode(msg.subarray(space + 1));
      if (reply.result !== 'ok') reject(new Error(`rtpengine list: ${JSON.stringify(reply)}`));
      else resolve(reply.calls);
    });
    socket.send(`${cookie} ${bencode({ command: 'list', limit: 1000 })}`, ngPort, '127.0.0.1');
  });
}

/**
 * The statuses of the SIP responses to `method` that the phone received from 127.0.0.1:serverPort, in
 * order (baresip's -s trace in its log: "UDP 127.0.0.1:A -> 127.0.0.1:B", then the message), e.g.
 * [401, 200] for a challenged REGISTER.
 */
export function phoneResponses(logFile, method, serverPort) {
  const log = fs.readFileSync(logFile, 'latin1');
  const statuses = [];
  const message = /(?:UDP|TCP) 127\.0\.0\.1:(\d+) -> \S+\r?\nSIP\/2\.0 (\d{3}) [^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?CSeq: *\d+ +([A-Z]+)/gi;
  for (const m of log.matchAll(message)) {
    if (m[1] === String(serverPort) && m[3] === method) statuses.push(Number(m[2]));
  }
  return statuses;
}

// --- the steps of a call between the web client (a Playwright page) and the phone ---

/**
 * Headless Chromium with one page (media `permissions`, e.g. ['microphone']) whose uncaught errors are
 * collected in `pageErrors` and whose console errors and warnings are logged as `[name console]`, and the
 * phone's control socket connected.
 */
export async function openPageAndPhone({ name, permissions, phoneCtrlPort }) {
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.log(`[${name} console] ${m.text()}`);
  });
  const phone = new Baresip(phoneCtrlPort);
  await phone.connect();
  return { browser, page, phone, pageErrors };
}

/** Waits until the phone says it is registered (baresip's reginfo). */
export const awaitPhoneRegistered = (phone) => until('baresip registered', async () => /OK/.test((await phone.command('reginfo')).data ?? ''));

/** Logs `sipUri` in to the web client at `base` and waits for its event socket. */
export async function logIn(page, base, sipUri) {
  await page.goto(`${base}/`);
  await page.fill('#login-uri', sipUri);
  await page.fill('#login-password', 'secret123');
  await page.click('#login-submit');
  await page.waitForSelector('#connection[data-state="open"]', { timeout: WAIT });
}

/**
 * After a call was placed or answered (phone events from index `from` on): the phone has it established, the
 * page shows it ACTIVE and its RTCPeerConnection is connected.
 */
export async function awaitCallActive(page, phone, from) {
  await phone.event('CALL_ESTABLISHED', from);
  await page.waitForSelector('#call-bar[data-state="ACTIVE"]', { timeout: WAIT });
  await page.waitForFunction(() => window.sipgw.phone?.call?.pc?.connectionState === 'connected', null, { timeout: 30_000 });
}

/** rtpengine (ng on 127.0.0.1:ngPort) holds exactly one call: the current one is anchored there. */
export async function assertAnchored(ngPort) {
  const calls = await rtpengineCalls(ngPort);
  assert.equal(calls.length, 1, `the call is anchored at rtpengine: ${calls}`);
}

/** The phone dials `sipUri` and the page shows the incoming call. */
export async function phoneDials(page, phone, sipUri) {
  const dialed = await phone.command('dial', sipUri);
  assert.ok(dialed.ok, JSON.stringify(dialed));
  await page.waitForSelector('#incoming .incoming-card', { timeout: WAIT });
}

/** The page hangs up; it shows the call ENDED and the phone closes it. */
export async function pageHangsUp(page, phone, from) {
  await page.click('#call-hangup');
  await page.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await phone.event('CALL_CLOSED', from);
}

/** The phone hangs up; it closes the call and the page shows it ENDED. */
export async function phoneHangsUp(page, phone, from) {
  const hangup = await phone.command('hangup');
  assert.ok(hangup.ok, JSON.stringify(hangup));
  await phone.event('CALL_CLOSED', from);
  await page.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
}

/** Waits until rtpengine (ng on 127.0.0.1:ngPort) holds no call. */
export const awaitRtpengineEmpty = (ngPort) => until('rtpengine to drop the call', async () => (await rtpengineCalls(ngPort)).length === 0);
