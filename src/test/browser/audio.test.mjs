// A browser and a plain RTP/AVP softphone (baresip) hear each other through rtpengine: the browser calls
// the phone and hangs up, the phone calls the browser and hangs up; each time the call is ACTIVE, audio
// flows both ways (the browser's getStats, the phone's recording of what it heard) and rtpengine holds no
// call afterwards. Last, early media: the phone answers 183 with SDP first, the browser's RTCPeerConnection
// connects to rtpengine on that provisional answer while the call rings, then the phone answers. audio.sh starts
// rtpengine, the SIP server (the gateway's embedded one, or Kamailio with --sip-server kamailio: then the
// test also checks in baresip's SIP trace that Kamailio challenged its REGISTER and INVITE), the gateway
// and baresip, and passes the settings below.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  WAIT, assertAnchored, awaitCallActive, awaitPhoneRegistered, awaitRtpengineEmpty, logIn, openPageAndPhone, pageHangsUp,
  phoneDials, phoneHangsUp, phoneResponses, rtpengineCalls as rtpengineList, until,
} from './phone.mjs';

const BASE = process.env.SIPGW_BASE_URL ?? 'http://127.0.0.1:18082';
// the port of the SIP server the users and the phone register at: the embedded one or Kamailio
const REGISTRAR_PORT = process.env.SIPGW_REGISTRAR_PORT ?? '15060';
const SIP_SERVER = process.env.SIPGW_SIP_SERVER ?? 'embedded';
const PHONE_LOG = process.env.SIPGW_PHONE_LOG ?? 'target/audio-run/baresip.log';
const NG_PORT = Number(process.env.SIPGW_NG_PORT ?? 22222);
const PHONE_CTRL_PORT = Number(process.env.SIPGW_PHONE_CTRL_PORT ?? 14444);
const RECORDINGS = process.env.SIPGW_RECORDINGS ?? 'target/audio-run/recordings';
const SHOTS = process.env.SIPGW_SCREENSHOT_DIR ?? 'target/audio-run';

const rtpengineCalls = () => rtpengineList(NG_PORT);
const uri = (user) => `sip:${user}@127.0.0.1:${REGISTRAR_PORT}`;

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
let pageErrors = [];

before(async () => {
  ({ browser, page: alice, phone, pageErrors } = await openPageAndPhone({
    name: 'alice', permissions: ['microphone'], phoneCtrlPort: PHONE_CTRL_PORT,
  }));
});

after(async () => {
  phone?.close();
  await browser?.close();
});

test(`setup: the phone is registered at the ${SIP_SERVER} SIP server, alice logs in to the web client`, async () => {
  await awaitPhoneRegistered(phone);
  if (SIP_SERVER === 'kamailio') {
    const register = phoneResponses(PHONE_LOG, 'REGISTER', REGISTRAR_PORT);
    console.log(`the phone's REGISTER at Kamailio: ${register.join(' -> ')}`);
    assert.ok(register.includes(401) && register.includes(200), `Kamailio challenged the phone's REGISTER: ${register}`);
  }
  await logIn(alice, BASE, uri('alice'));
  assert.deepEqual(await rtpengineCalls(), [], 'rtpengine holds no call before');
});

test('the browser calls the phone: ACTIVE, audio both ways through rtpengine, the browser hangs up', async () => {
  const recordingsBefore = decodedRecordings();
  const from = phone.events.length;
  await alice.click('#contact-list li.contact[data-user-id="phone@127.0.0.1"] .item-main');
  await alice.click('#chat-call');
  await awaitCallActive(alice, phone, from);
  await assertAnchored(NG_PORT);
  const formats = await phoneFormats('browser -> phone');
  assert.ok(formats.remote.some((f) => /PCMU\/8000/.test(f)), 'the offer rtpengine sent the phone has PCMU');
  const stats = await assertAudioBothWays(alice, 'browser -> phone');
  console.log(`codecs at the browser: ${stats.codecs.join(', ')}`);
  assert.ok(stats.codecs.length === 2 && stats.codecs.every((c) => /PCM[UA]$/.test(c)), `G.711 end to end, no transcoding: ${stats.codecs}`);
  await alice.screenshot({ path: path.join(SHOTS, 'browser-calls-phone.png') });

  await pageHangsUp(alice, phone, from);
  await assertPhoneHeard(recordingsBefore, 'browser -> phone');
  await awaitRtpengineEmpty(NG_PORT);
});

test('the phone calls the browser: alice answers, audio both ways through rtpengine, the phone hangs up', async () => {
  const recordingsBefore = decodedRecordings();
  const from = phone.events.length;
  await phoneDials(alice, phone, uri('alice'));
  await alice.click('#incoming button.answer');
  await awaitCallActive(alice, phone, from);
  await assertAnchored(NG_PORT);
  await phoneFormats('phone -> browser');
  if (SIP_SERVER === 'kamailio') {
    const invite = phoneResponses(PHONE_LOG, 'INVITE', REGISTRAR_PORT);
    console.log(`the phone's INVITEs at Kamailio: ${invite.join(' -> ')}`);
    assert.ok(invite.includes(407), `Kamailio challenged the phone's INVITE (407) and the phone answered it: ${invite}`);
    assert.equal(invite.at(-1), 200, `the answered INVITE went through: ${invite}`);
  }
  const stats = await assertAudioBothWays(alice, 'phone -> browser');
  console.log(`codecs at the browser: ${stats.codecs.join(', ')}`);
  assert.ok(stats.codecs.length === 2 && stats.codecs.every((c) => /PCM[UA]$/.test(c)), `G.711 end to end, no transcoding: ${stats.codecs}`);

  await phoneHangsUp(alice, phone, from);
  await assertPhoneHeard(recordingsBefore, 'phone -> browser');
  await awaitRtpengineEmpty(NG_PORT);
});

// The dial field calls any SIP address (the phone is not picked from the contacts), and the keypad's keys
// reach the phone: as RFC 4733 telephone-events in the media when the call negotiated them, else as SIP INFO.
test('the dial field calls the phone by its address, and keys pressed on the keypad reach it as DTMF', async () => {
  const from = phone.events.length;
  await alice.click('#tab-contacts');
  await alice.fill('#dial-uri', `phone@127.0.0.1:${REGISTRAR_PORT}`);
  await alice.click('#dial-call');
  await awaitCallActive(alice, phone, from);
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

  await pageHangsUp(alice, phone, from);
  await awaitRtpengineEmpty(NG_PORT);
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

    await pageHangsUp(alice, phone, from);
    await awaitRtpengineEmpty(NG_PORT);
  } finally {
    await phone.command('answermode', 'auto');
  }
  assert.equal(pageErrors.length, 0, `no uncaught errors in the page: ${pageErrors.join('; ')}`);
});
