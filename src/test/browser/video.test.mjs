// A browser and a plain RTP/AVP SIP video phone (baresip with VP8 and fakevideo as its camera) see each
// other through rtpengine: the browser video-calls the phone and hangs up, the phone video-calls the
// browser and hangs up. Each time the call is ACTIVE and VIDEO, the browser's getStats shows video frames
// decoded and sent growing (VP8 both ways, no transcoding: rtpengine does not transcode video), its
// remote <video> plays the phone's picture, the phone decodes the browser's camera (its video_debug
// counts displayed frames, snapshot_recv saves one as PNG of the browser camera's size), audio flows
// beside the video, and rtpengine holds no call afterwards. `audio.sh --video` (video.sh) starts
// rtpengine, the gateway and baresip and passes the settings below.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  WAIT, assertAnchored, awaitCallActive, awaitPhoneRegistered, awaitRtpengineEmpty, logIn, openPageAndPhone, pageHangsUp,
  phoneDials, phoneHangsUp, rtpengineCalls as rtpengineList, until,
} from './phone.mjs';

const BASE = process.env.SIPGW_BASE_URL ?? 'http://127.0.0.1:18082';
const REGISTRAR_PORT = process.env.SIPGW_REGISTRAR_PORT ?? '15060';
const SIP_SERVER = process.env.SIPGW_SIP_SERVER ?? 'embedded';
const NG_PORT = Number(process.env.SIPGW_NG_PORT ?? 22222);
const PHONE_CTRL_PORT = Number(process.env.SIPGW_PHONE_CTRL_PORT ?? 14444);
const SHOTS = process.env.SIPGW_SCREENSHOT_DIR ?? 'target/video-run';
const PHONE = '#contact-list li.contact[data-user-id="phone@127.0.0.1"]';

const rtpengineCalls = () => rtpengineList(NG_PORT);
const uri = (user) => `sip:${user}@127.0.0.1:${REGISTRAR_PORT}`;

/** RTP counters of the call's RTCPeerConnection (getStats) per kind, and the codecs in use. */
function mediaStats(page) {
  return page.evaluate(async () => {
    const pc = window.sipgw.phone?.call?.pc;
    if (!pc) return null;
    const stats = await pc.getStats();
    const zero = () => ({ bytesReceived: 0, bytesSent: 0, framesDecoded: 0, keyFramesDecoded: 0, pliCount: 0, firCount: 0, framesEncoded: 0, frameWidth: 0, codecs: [] });
    const out = { audio: zero(), video: zero() };
    stats.forEach((r) => {
      const kind = out[r.kind];
      if (!kind) return;
      if (r.type === 'inbound-rtp') {
        kind.bytesReceived += r.bytesReceived ?? 0;
        kind.framesDecoded += r.framesDecoded ?? 0;
        kind.keyFramesDecoded += r.keyFramesDecoded ?? 0;
        // keyframe requests the browser sent to the phone (RTCP PLI/FIR through rtpengine)
        kind.pliCount += r.pliCount ?? 0;
        kind.firCount += r.firCount ?? 0;
        kind.frameWidth = Math.max(kind.frameWidth, r.frameWidth ?? 0);
        if (r.codecId) kind.codecs.push(`in ${stats.get(r.codecId)?.mimeType}`);
      } else if (r.type === 'outbound-rtp') {
        kind.bytesSent += r.bytesSent ?? 0;
        kind.framesEncoded += r.framesEncoded ?? 0;
        if (r.codecId) kind.codecs.push(`out ${stats.get(r.codecId)?.mimeType}`);
      }
    });
    return out;
  });
}

/** What the phone's video stream reports (menu command video_debug): decoder, frames decoded and shown, size. */
async function phoneVideo() {
  const text = (await phone.command('video_debug')).data ?? '';
  const display = text.match(/vidisp: (\S+) (\d+) x (\d+) frames=(\d+)/);
  const source = text.match(/source: (\S+) (\d+) x (\d+), fps=[\d.]+ frames=(\d+)/);
  return {
    decoder: text.match(/rx: decode: (\S+)/)?.[1] ?? 'none',
    encoder: text.match(/tx: encode: (\S+)/)?.[1] ?? 'none',
    received: display ? { width: Number(display[2]), height: Number(display[3]), frames: Number(display[4]) } : null,
    sent: source ? { frames: Number(source[4]) } : null,
    text,
  };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file) {
  const png = fs.readFileSync(file);
  assert.equal(png.subarray(1, 4).toString(), 'PNG', `${file} is a PNG`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bytes: png.length };
}

/**
 * Video both ways, measured 3 s apart on both ends: the browser decodes the phone's VP8 and sends its own,
 * the phone decodes the browser's (its displayed-frame counter grows, a snapshot of a decoded frame has the
 * browser camera's size), audio flows beside it.
 */
async function assertVideoBothWays(label) {
  await alice.waitForSelector('#call-bar[data-state="ACTIVE"][data-video="true"]', { timeout: WAIT });
  await alice.waitForSelector('#video-stage:not([hidden])', { timeout: WAIT });
  const waited = Date.now();
  await alice.waitForFunction(() => document.querySelector('#remote-video').videoWidth > 0, null, { timeout: WAIT });
  const feedback = await alice.evaluate(() => {
    const sdp = window.sipgw.phone.call.pc.remoteDescription?.sdp ?? '';
    return sdp.slice(sdp.indexOf('m=video')).split(/\r?\n/).filter((l) => /^a=rtcp-fb|^m=video|^a=rtpmap/.test(l));
  });
  console.log(`${label}: the phone's picture showed after ${Date.now() - waited} ms; the browser's remote video SDP: ${feedback.join(' | ')}`);
  const first = { browser: await mediaStats(alice), phone: await phoneVideo() };
  await new Promise((r) => setTimeout(r, 3000));
  const second = { browser: await mediaStats(alice), phone: await phoneVideo() };
  console.log(`${label}: browser ${JSON.stringify(first.browser)} -> ${JSON.stringify(second.browser)}`);
  console.log(`${label}: phone decodes ${second.phone.decoder}, encodes ${second.phone.encoder}, received ${JSON.stringify(first.phone.received)} -> ${JSON.stringify(second.phone.received)}, sent ${JSON.stringify(first.phone.sent)} -> ${JSON.stringify(second.phone.sent)}`);
  const [b1, b2] = [first.browser, second.browser];
  assert.ok(b2.video.framesDecoded > b1.video.framesDecoded, 'the browser decodes the phone\'s video (framesDecoded grows)');
  assert.ok(b2.video.bytesReceived > b1.video.bytesReceived, 'inbound video bytes grow');
  assert.ok(b2.video.framesEncoded > b1.video.framesEncoded && b2.video.bytesSent > b1.video.bytesSent, 'the browser sends its camera');
  assert.ok(b2.audio.bytesReceived > b1.audio.bytesReceived && b2.audio.bytesSent > b1.audio.bytesSent, 'audio flows beside the video');
  assert.deepEqual([...new Set(b2.video.codecs)].sort(), ['in video/VP8', 'out video/VP8'], 'VP8 both ways');
  const remote = await alice.evaluate(() => {
    const v = document.querySelector('#remote-video');
    return { width: v.videoWidth, height: v.videoHeight };
  });
  assert.deepEqual(remote, { width: 320, height: 240 }, 'the remote <video> plays the phone\'s 320x240 fakevideo picture');

  assert.equal(second.phone.decoder, 'VP8', second.phone.text);
  assert.equal(second.phone.encoder, 'VP8', second.phone.text);
  assert.ok(second.phone.received && first.phone.received, `the phone shows received video: ${second.phone.text}`);
  assert.ok(second.phone.received.frames > first.phone.received.frames, 'the phone decodes the browser\'s video (frames grow)');
  assert.ok(second.phone.sent.frames > first.phone.sent.frames, 'the phone\'s camera produces frames');
  // snapshot_recv keeps at most 100 characters of the path
  const snapshot = path.join(SHOTS, `${label.replace(/\W+/g, '-')}.png`);
  assert.ok(snapshot.length < 100, `snapshot path short enough for baresip: ${snapshot}`);
  fs.rmSync(snapshot, { force: true });
  await phone.command('snapshot_recv', snapshot);
  await until('the phone\'s snapshot of a decoded frame', () => fs.existsSync(snapshot) && fs.statSync(snapshot).size > 100);
  const size = await until('the snapshot written', () => {
    try { return pngSize(snapshot); } catch { return null; }
  });
  console.log(`${label}: the phone's snapshot of the browser's video ${snapshot}: ${JSON.stringify(size)}`);
  // (Chromium's fake camera is 640x480; under CPU load its encoder may scale down, so no exact size)
  assert.ok(size.width >= 160 && size.height >= 120, `a real picture from the browser's camera: ${JSON.stringify(size)}`);
  await alice.screenshot({ path: path.join(SHOTS, `${label.replace(/\W+/g, '-')}-browser.png`) });
}

let browser;
let alice;
let phone;
let pageErrors = [];

before(async () => {
  ({ browser, page: alice, phone, pageErrors } = await openPageAndPhone({
    name: 'alice', permissions: ['microphone', 'camera'], phoneCtrlPort: PHONE_CTRL_PORT,
  }));
});

after(async () => {
  phone?.close();
  await browser?.close();
});

test(`setup: the video phone is registered at the ${SIP_SERVER} SIP server, alice logs in to the web client`, async () => {
  await awaitPhoneRegistered(phone);
  await logIn(alice, BASE, uri('alice'));
  assert.deepEqual(await rtpengineCalls(), [], 'rtpengine holds no call before');
});

test('the browser video-calls the phone: ACTIVE, VP8 video and audio both ways through rtpengine, the browser hangs up', async () => {
  const from = phone.events.length;
  await alice.click(`${PHONE} button.video-call-button`);
  await awaitCallActive(alice, phone, from);
  await assertAnchored(NG_PORT);
  await assertVideoBothWays('browser-calls-phone');

  await pageHangsUp(alice, phone, from);
  await awaitRtpengineEmpty(NG_PORT);
});

test('the phone video-calls the browser: alice answers with video, VP8 video and audio both ways, the phone hangs up', async () => {
  const from = phone.events.length;
  await phoneDials(alice, phone, uri('alice'));
  assert.match(await alice.locator('#incoming').innerText(), /video calling/, 'the phone\'s offer rings as a video call');
  await alice.click('#incoming button.answer-video');
  await awaitCallActive(alice, phone, from);
  await assertAnchored(NG_PORT);
  await assertVideoBothWays('phone-calls-browser');

  await phoneHangsUp(alice, phone, from);
  await awaitRtpengineEmpty(NG_PORT);
  assert.equal(pageErrors.length, 0, `no uncaught errors in the page: ${pageErrors.join('; ')}`);
});
