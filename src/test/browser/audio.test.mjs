// A browser and a plain RTP/AVP softphone (baresip) hear each other through rtpengine: the browser calls
// the phone and hangs up, the phone calls the browser and hangs up; each time the call is ACTIVE, audio
// flows both ways (the browser's getStats, the phone's recording of what it heard) and rtpengine holds no
// call afterwards. Last, early media: the phone answers 183 with SDP first, the browser's RTCPeerConnection
// connects to rtpengine on that provisional answer while the call rings, then the phone answers. audio.sh starts rtpengine, the gateway and baresip and passes the settings below.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { launch } from './chromium.mjs';

const BASE = process.env.SIPGW_BASE_URL ?? 'http://127.0.0.1:18082';
// the port of the SIP server the users and the phone register at: the embedded one or Kamailio
const REGISTRAR_PORT = process.env.SIPGW_REGISTRAR_PORT ?? '15060';
const SIP_SERVER = process.env.SIPGW_SIP_SERVER ?? 'embedded';
const NG_PORT = Number(process.env.SIPGW_NG_PORT ?? 22222);
const PHONE_CTRL_PORT = Number(process.env.SIPGW_PHONE_CTRL_PORT ?? 14444);
const RECORDINGS = process.env.SIPGW_RECORDINGS ?? 'target/audio-run/recordings';
const SHOTS = process.env.SIPGW_SCREENSHOT_DIR ?? 'target/audio-run';
const WAIT = 20_000;

const uri = (user) => `sip:${user}@127.0.0.1:${REGISTRAR_PORT}`;
const until = async (what, check, timeout = WAIT) => {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

// --- baresip's ctrl_tcp: JSON in netstrings; responses carry our token, events arrive unasked ---
class Baresip {
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
        console.log(`[baresip event] ${message.type} ${message.param ?? ''}`);
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

/** The call-ids rtpengine holds (ng `list`). */
function rtpengineCalls() {
  const cookie = `audio${Date.now()}`;
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
    socket.send(`${cookie} ${bencode({ command: 'list', limit: 1000 })}`, NG_PORT, '127.0.0.1');
  });
}

// --- the browser side ---
/** Audio RTP counters of the call's RTCPeerConnection (getStats) and the codecs in use. */
function audioStats(page) {
  return page.evaluate(async () => {
    const pc = window.sipgw.phone?.call?.pc;
    if (!pc) return null;
    const stats = await pc.getStats();
    const out = { bytesReceived: 0, packetsReceived: 0, bytesSent: 0, packetsSent: 0, energy: 0, codecs: [] };
    stats.forEach((r) => {
      if (r.kind !== 'audio') return;
      if (r.type === 'inbound-rtp') {
        out.bytesReceived += r.bytesReceived ?? 0;
        out.packetsReceived += r.packetsReceived ?? 0;
        out.energy += r.totalAudioEnergy ?? 0;
        if (r.codecId) out.codecs.push(`in ${stats.get(r.codecId)?.mimeType}`);
      } else if (r.type === 'outbound-rtp') {
        out.bytesSent += r.bytesSent ?? 0;
        out.packetsSent += r.packetsSent ?? 0;
        if (r.codecId) out.codecs.push(`out ${stats.get(r.codecId)?.mimeType}`);
      }
    });
    return out;
  });
}

/**
 * Two getStats samples 3 s apart: every counter grows, and what the browser hears is not silence. With
 * `outboundOnly`, only what the browser sends is checked (early media from a phone that sends nothing
 * before it answers).
 */
async function assertAudioBothWays(page, label, { outboundOnly = false } = {}) {
  const first = await audioStats(page);
  await new Promise((r) => setTimeout(r, 3000));
  const second = await audioStats(page);
  console.log(`${label}: ${JSON.stringify(first)} -> ${JSON.stringify(second)}`);
  assert.ok(first && second, 'the browser has a call');
  assert.ok(second.bytesSent > first.bytesSent, 'outbound-rtp bytesSent grows');
  assert.ok(second.packetsSent > first.packetsSent, 'outbound-rtp packetsSent grows');
  if (!outboundOnly) {
    assert.ok(second.bytesReceived > first.bytesReceived, 'inbound-rtp bytesReceived grows');
    assert.ok(second.packetsReceived > first.packetsReceived, 'inbound-rtp packetsReceived grows');
    assert.ok(second.energy > first.energy, 'the browser hears sound (totalAudioEnergy grows): the phone\'s tone');
  }
  return second;
}

/** Loudest sample and RMS of a 16-bit PCM WAV (the sample data after the `data` chunk header). */
function loudness(file) {
  const wav = fs.readFileSync(file);
  const data = wav.indexOf('data', 12);
  assert.ok(data > 0, `${file} is a WAV file`);
  const samples = wav.subarray(data + 8);
  let peak = 0;
  let sum = 0;
  const n = Math.floor(samples.length / 2);
  for (let k = 0; k < n; k++) {
    const v = samples.readInt16LE(k * 2);
    peak = Math.max(peak, Math.abs(v));
    sum += v * v;
  }
  return { samples: n, peak, rms: n ? Math.sqrt(sum / n) : 0 };
}

const decodedRecordings = () => new Set(fs.readdirSync(RECORDINGS).filter((f) => f.endsWith('-dec.wav')));

/** The recording of what the phone heard in the call that just ended: present and not silence. */
async function assertPhoneHeard(before, label) {
  const file = await until('the phone\'s recording of the call', () => [...decodedRecordings()].find((f) => !before.has(f)));
  const level = await until('the recording to be written', () => {
    const l = loudness(path.join(RECORDINGS, file));
    return l.samples > 8000 ? l : null;
  });
  console.log(`${label}: the phone heard ${file}: ${JSON.stringify(level)}`);
  assert.ok(level.peak > 1000, `the phone's recording is not silence: ${JSON.stringify(level)}`);
}

/** The codecs of the phone's call as its `callstat` lists them: what it offered or was offered, and the other side. */
async function phoneFormats(label) {
  const text = (await phone.command('callstat')).data ?? '';
  const block = (name) => (text.split(`${name} formats:`)[1] ?? '').split(/\n\s*(?:local|remote) (?:attributes|formats):/)[0]
    .split('\n').map((l) => l.trim()).filter(Boolean);
  const formats = { local: block('local'), remote: block('remote') };
  console.log(`${label}: the phone's formats ${JSON.stringify(formats)}`);
  return formats;
}

let browser;
let alice;
let phone;
const pageErrors = [];

before(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['microphone'] });
  alice = await context.newPage();
  alice.on('pageerror', (e) => pageErrors.push(e.message));
  alice.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.log(`[alice console] ${m.text()}`);
  });
  phone = new Baresip(PHONE_CTRL_PORT);
  await phone.connect();
});

after(async () => {
  phone?.close();
  await browser?.close();
});

test(`setup: the phone is registered at the ${SIP_SERVER} SIP server, alice logs in to the web client`, async () => {
  await until('baresip registered', async () => /OK/.test((await phone.command('reginfo')).data ?? ''));
  await alice.goto(`${BASE}/`);
  await alice.fill('#login-uri', uri('alice'));
  await alice.fill('#login-password', 'secret123');
  await alice.click('#login-submit');
  await alice.waitForSelector('#connection[data-state="open"]', { timeout: WAIT });
  assert.deepEqual(await rtpengineCalls(), [], 'rtpengine holds no call before');
});

test('the browser calls the phone: ACTIVE, audio both ways through rtpengine, the browser hangs up', async () => {
  const recordingsBefore = decodedRecordings();
  const from = phone.events.length;
  await alice.click('#contact-list li.contact[data-user-id="phone@127.0.0.1"] .item-main');
  await alice.click('#chat-call');
  await phone.event('CALL_ESTABLISHED', from);
  await alice.waitForSelector('#call-bar[data-state="ACTIVE"]', { timeout: WAIT });
  await alice.waitForFunction(() => window.sipgw.phone?.call?.pc?.connectionState === 'connected', null, { timeout: 30_000 });
  const calls = await rtpengineCalls();
  assert.equal(calls.length, 1, `the call is anchored at rtpengine: ${calls}`);
  const formats = await phoneFormats('browser -> phone');
  assert.ok(formats.remote.some((f) => /PCMU\/8000/.test(f)), 'the offer rtpengine sent the phone has PCMU');
  const stats = await assertAudioBothWays(alice, 'browser -> phone');
  console.log(`codecs at the browser: ${stats.codecs.join(', ')}`);
  assert.ok(stats.codecs.length === 2 && stats.codecs.every((c) => /PCM[UA]$/.test(c)), `G.711 end to end, no transcoding: ${stats.codecs}`);
  await alice.screenshot({ path: path.join(SHOTS, 'browser-calls-phone.png') });

  await alice.click('#call-hangup');
  await alice.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await phone.event('CALL_CLOSED', from);
  await assertPhoneHeard(recordingsBefore, 'browser -> phone');
  await until('rtpengine to drop the call', async () => (await rtpengineCalls()).length === 0);
});

test('the phone calls the browser: alice answers, audio both ways through rtpengine, the phone hangs up', async () => {
  const recordingsBefore = decodedRecordings();
  const from = phone.events.length;
  const dialed = await phone.command('dial', uri('alice'));
  assert.ok(dialed.ok, JSON.stringify(dialed));
  await alice.waitForSelector('#incoming .incoming-card', { timeout: WAIT });
  await alice.click('#incoming button.answer');
  await phone.event('CALL_ESTABLISHED', from);
  await alice.waitForSelector('#call-bar[data-state="ACTIVE"]', { timeout: WAIT });
  await alice.waitForFunction(() => window.sipgw.phone?.call?.pc?.connectionState === 'connected', null, { timeout: 30_000 });
  const calls = await rtpengineCalls();
  assert.equal(calls.length, 1, `the call is anchored at rtpengine: ${calls}`);
  await phoneFormats('phone -> browser');
  const stats = await assertAudioBothWays(alice, 'phone -> browser');
  console.log(`codecs at the browser: ${stats.codecs.join(', ')}`);
  assert.ok(stats.codecs.length === 2 && stats.codecs.every((c) => /PCM[UA]$/.test(c)), `G.711 end to end, no transcoding: ${stats.codecs}`);

  const hangup = await phone.command('hangup');
  assert.ok(hangup.ok, JSON.stringify(hangup));
  await phone.event('CALL_CLOSED', from);
  await alice.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await assertPhoneHeard(recordingsBefore, 'phone -> browser');
  await until('rtpengine to drop the call', async () => (await rtpengineCalls()).length === 0);
});

// The dial field calls any SIP address (the phone is not picked from the contacts), and the keypad's keys
// reach the phone: as RFC 4733 telephone-events in the media when the call negotiated them, else as SIP INFO.
test('the dial field calls the phone by its address, and keys pressed on the keypad reach it as DTMF', async () => {
  const from = phone.events.length;
  await alice.click('#tab-contacts');
  await alice.fill('#dial-uri', `phone@127.0.0.1:${REGISTRAR_PORT}`);
  await alice.click('#dial-call');
  await phone.event('CALL_ESTABLISHED', from);
  await alice.waitForSelector('#call-bar[data-state="ACTIVE"]', { timeout: WAIT });
  await alice.waitForFunction(() => window.sipgw.phone?.call?.pc?.connectionState === 'connected', null, { timeout: 30_000 });
  const path4733 = await alice.evaluate(() => window.sipgw.phone.call.pc.getSenders()
    .find((s) => s.track?.kind === 'audio')?.dtmf?.canInsertDTMF ?? false);
  console.log(`keypad: telephone-event negotiated (RFC 4733 in the media): ${path4733}`);

  await alice.click('#call-keypad');
  for (const key of ['1', '2', '#']) {
    const before = phone.events.length;
    await alice.click(`#keypad button.key[data-key="${key}"]`);
    const pressed = await until(`the phone to get key ${key}`, () => phone.events.slice(before)
      .find((e) => e.type === 'CALL_DTMF_START'));
    assert.equal(pressed.param, key, `the phone got ${key}: ${JSON.stringify(pressed)}`);
    await new Promise((r) => setTimeout(r, 300)); // one key after the other, as a person presses them
  }
  assert.equal(await alice.textContent('#keys-sent'), '12#');
  await alice.screenshot({ path: path.join(SHOTS, 'keypad.png') });

  await alice.click('#call-hangup');
  await alice.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await phone.event('CALL_CLOSED', from);
  await until('rtpengine to drop the call', async () => (await rtpengineCalls()).length === 0);
});

// baresip 1.0 in answermode early answers 183 with SDP and starts its audio receive-only ("stream start
// (active=0)": it sends nothing until it answers), so before the answer only the browser's direction
// can carry audio: its media goes to rtpengine over the provisional answer's ICE and DTLS-SRTP.
test('early media: the phone answers 183 with SDP; the browser connects to rtpengine and sends while ringing, then the phone answers', async () => {
  const early = await phone.command('answermode', 'early');
  assert.ok(early.ok, JSON.stringify(early));
  try {
    const from = phone.events.length;
    await alice.click('#contact-list li.contact[data-user-id="phone@127.0.0.1"] .item-main');
    await alice.click('#chat-call');
    await alice.waitForFunction(() => window.sipgw.phone?.call?.pc?.connectionState === 'connected', null, { timeout: 30_000 });
    assert.equal(await alice.getAttribute('#call-bar', 'data-state'), 'RINGING', 'the call still rings');
    assert.equal(await alice.evaluate(() => window.sipgw.phone.call.pc.signalingState), 'have-remote-pranswer');
    assert.equal((await rtpengineCalls()).length, 1, 'early media is anchored at rtpengine');
    await assertAudioBothWays(alice, 'early media', { outboundOnly: true });
    assert.equal(await alice.getAttribute('#call-bar', 'data-state'), 'RINGING', 'the call still rings');
    await alice.screenshot({ path: path.join(SHOTS, 'early-media.png') });

    const accepted = await phone.command('accept');
    assert.ok(accepted.ok, JSON.stringify(accepted));
    await phone.event('CALL_ESTABLISHED', from);
    await alice.waitForSelector('#call-bar[data-state="ACTIVE"]', { timeout: WAIT });
    assert.equal(await alice.evaluate(() => window.sipgw.phone.call.pc.signalingState), 'stable');
    await assertAudioBothWays(alice, 'after early media');

    await alice.click('#call-hangup');
    await alice.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
    await phone.event('CALL_CLOSED', from);
    await until('rtpengine to drop the call', async () => (await rtpengineCalls()).length === 0);
  } finally {
    await phone.command('answermode', 'auto');
  }
  assert.equal(pageErrors.length, 0, `no uncaught errors in the page: ${pageErrors.join('; ')}`);
});
