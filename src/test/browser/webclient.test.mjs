// The web client end to end in headless Chromium: login, presence, chat with read ticks, a real WebRTC
// audio call and a video call between two browser contexts (fake media devices: a tone and a test-pattern
// camera), call history, the admin dashboard.
// run.sh starts the server and passes SIPGW_BASE_URL, SIPGW_REGISTRAR_PORT and SIPGW_SCREENSHOT_DIR.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch } from './chromium.mjs';

const BASE = process.env.SIPGW_BASE_URL ?? 'http://127.0.0.1:18081';
const REGISTRAR_PORT = process.env.SIPGW_REGISTRAR_PORT ?? '15060';
const SHOTS = process.env.SIPGW_SCREENSHOT_DIR ?? 'target/browser-screenshots';
const PASSWORD = 'secret123';
const WAIT = 15_000;

const uri = (user) => `sip:${user}@127.0.0.1:${REGISTRAR_PORT}`;
const contact = (userId) => `#contact-list li.contact[data-user-id="${userId}"]`;

let browser;
const pageErrors = [];

async function newPage(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['microphone', 'camera'] });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) console.log(`[${name} console] ${m.text()}`);
  });
  return page;
}

async function shot(page, file) {
  await page.screenshot({ path: path.join(SHOTS, file) });
}

async function logIn(page, user, password = PASSWORD) {
  if (!page.url().startsWith(BASE)) await page.goto(`${BASE}/`);
  await page.fill('#login-uri', uri(user));
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

async function loggedIn(page, user) {
  await logIn(page, user);
  await page.waitForSelector('#contact-list li.contact', { timeout: WAIT });
  await page.waitForSelector('#connection[data-state="open"]', { timeout: WAIT });
}

/** Inbound audio bytes of the call's RTCPeerConnection (getStats), or -1 without a call. */
function inboundAudioBytes(page) {
  return page.evaluate(async () => {
    const pc = window.sipgw.phone?.call?.pc;
    if (!pc) return -1;
    let bytes = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
    });
    return bytes;
  });
}

/** Inbound video of the call's RTCPeerConnection (getStats): bytes and decoded frames, -1 without a call. */
function inboundVideo(page) {
  return page.evaluate(async () => {
    const pc = window.sipgw.phone?.call?.pc;
    if (!pc) return { bytes: -1, frames: -1 };
    let bytes = 0;
    let frames = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        bytes += r.bytesReceived ?? 0;
        frames += r.framesDecoded ?? 0;
      }
    });
    return { bytes, frames };
  });
}

/**
 * Reads the inbound video (getStats) every 250 ms inside the page until it has grown by more than
 * `frames` decoded frames and some bytes beyond `from`, or WAIT has passed; returns the last reading.
 */
function videoGrows(page, from, frames) {
  return page.evaluate(async ([before, more, wait]) => {
    const deadline = Date.now() + wait;
    for (;;) {
      const pc = window.sipgw.phone?.call?.pc;
      let bytes = 0;
      let decoded = 0;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
          bytes += r.bytesReceived ?? 0;
          decoded += r.framesDecoded ?? 0;
        }
      });
      if ((bytes > before.bytes && decoded > before.frames + more) || Date.now() > deadline) return { bytes, frames: decoded };
      await new Promise((r) => setTimeout(r, 250));
    }
  }, [from, frames, WAIT]);
}

/** Reads the inbound audio bytes inside the page every 250 ms until they exceed `from` or WAIT has passed. */
function audioGrows(page, from) {
  return page.evaluate(async ([before, wait]) => {
    const deadline = Date.now() + wait;
    for (;;) {
      let bytes = 0;
      (await window.sipgw.phone.call.pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
      });
      if (bytes > before || Date.now() > deadline) return bytes;
      await new Promise((r) => setTimeout(r, 250));
    }
  }, [from, WAIT]);
}

function connectionState(page) {
  return page.evaluate(() => window.sipgw.phone?.call?.pc?.connectionState ?? 'none');
}

async function waitConnected(page) {
  await page.waitForFunction(() => window.sipgw.phone?.call?.pc?.connectionState === 'connected', null, { timeout: 30_000 });
}

/** Calls the REST API from inside a page with that page's token. */
function apiFromPage(page, method, apiPath, body) {
  return page.evaluate(async ([m, p, b]) => {
    const { token } = JSON.parse(sessionStorage.getItem('sipgw.session'));
    const response = await fetch(`/api${p}`, {
      method: m,
      headers: { Authorization: `Bearer ${token}`, ...(b ? { 'Content-Type': 'application/json' } : {}) },
      body: b ? JSON.stringify(b) : undefined,
    });
    return { status: response.status, body: await response.json() };
  }, [method, apiPath, body]);
}

let alice;
let bob;

before(async () => {
  browser = await launch();
  alice = await newPage('alice');
  bob = await newPage('bob');
});

after(async () => {
  await browser?.close();
});

test('the client is served at / and the API and health beside it', async () => {
  const index = await fetch(`${BASE}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /text\/html/);
  assert.match(await index.text(), /app\/main\.js/);
  const script = await fetch(`${BASE}/app/main.js`);
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type'), /javascript/);
  const api = await fetch(`${BASE}/api/users`);
  assert.equal(api.status, 401, 'the API still wants a token');
  assert.equal((await api.json()).error.code, 'INVALID_TOKEN');
  assert.equal((await fetch(`${BASE}/no/such/page`)).status, 404);
});

test('login: a wrong password is told in words, then alice logs in', async () => {
  await alice.goto(`${BASE}/`);
  await alice.waitForSelector('#login-uri');
  await shot(alice, 'login.png');
  await logIn(alice, 'alice', 'wrong-password');
  await alice.waitForFunction(() => document.querySelector('#login-error')?.textContent.includes('Wrong SIP URI or password'), null, { timeout: WAIT });
  await loggedIn(alice, 'alice');
  assert.equal(await alice.evaluate(() => localStorage.getItem('sipgw.lastSipUri')), uri('alice'));
  const stored = await alice.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.doesNotMatch(stored, /secret123|wrong-password|eyJ/, 'no password or token in localStorage');
  assert.equal(await alice.locator('#tab-admin').count(), 0, 'no dashboard for a plain user');
});

test('contacts: alice sees bob come online live, search, bob\'s status message', async () => {
  await alice.waitForSelector(`${contact('bob@127.0.0.1')}[data-status="OFFLINE"]`, { timeout: WAIT });
  await bob.goto(`${BASE}/`);
  await loggedIn(bob, 'bob');
  await alice.waitForSelector(`${contact('bob@127.0.0.1')}[data-status="ONLINE"]`, { timeout: WAIT });
  await bob.waitForSelector(`${contact('alice@127.0.0.1')}[data-status="ONLINE"]`, { timeout: WAIT });

  await alice.fill('#contact-search', 'bo');
  await alice.waitForFunction(() => [...document.querySelectorAll('#contact-list li.contact')].map((li) => li.dataset.userId).join() === 'bob@127.0.0.1', null, { timeout: WAIT });
  await alice.fill('#contact-search', '');
  await alice.waitForFunction(() => document.querySelectorAll('#contact-list li.contact').length > 1, null, { timeout: WAIT });

  await bob.selectOption('#my-status', 'AWAY');
  await bob.fill('#my-status-message', 'In a meeting');
  await bob.click('#my-status-save');
  await alice.waitForSelector(`${contact('bob@127.0.0.1')}[data-status="AWAY"]`, { timeout: WAIT });
  assert.match(await alice.locator(contact('bob@127.0.0.1')).innerText(), /In a meeting/);
  await shot(alice, 'contacts.png');
  await bob.selectOption('#my-status', 'ONLINE');
  await bob.fill('#my-status-message', '');
  await bob.click('#my-status-save');
  await alice.waitForSelector(`${contact('bob@127.0.0.1')}[data-status="ONLINE"]`, { timeout: WAIT });
});

test('chat: both ways, unread badge, delivery and read ticks', async () => {
  await alice.click(`${contact('bob@127.0.0.1')} .item-main`);
  await alice.waitForSelector('#chat-peer');
  assert.equal(await alice.locator('#chat-peer').innerText(), 'Bob');
  await alice.fill('#composer-input', 'Hi Bob! Lunch at noon?');
  await alice.press('#composer-input', 'Enter');
  const own = alice.locator('li.msg.own', { hasText: 'Hi Bob! Lunch at noon?' });
  await own.waitFor({ timeout: WAIT });
  await alice.waitForSelector('li.msg.own[data-status="DELIVERED"]', { timeout: WAIT });

  // bob has it unread until he opens the conversation; opening it sends the read receipt
  await bob.waitForSelector('#tab-chats .badge', { timeout: WAIT });
  await bob.click('#tab-chats');
  await bob.waitForSelector('#conversation-list li.conversation[data-unread="1"]', { timeout: WAIT });
  await bob.click('#conversation-list li.conversation .item-main');
  await bob.locator('li.msg.theirs', { hasText: 'Hi Bob! Lunch at noon?' }).waitFor({ timeout: WAIT });
  await alice.waitForSelector('li.msg.own[data-status="READ"]', { timeout: WAIT });
  await bob.waitForSelector('#conversation-list li.conversation[data-unread="0"]', { timeout: WAIT });

  await bob.fill('#composer-input', 'Sure, see you there.');
  await bob.click('#composer-send');
  await alice.locator('li.msg.theirs', { hasText: 'Sure, see you there.' }).waitFor({ timeout: WAIT });
  // alice has the chat open: she reads it at once, and bob's tick turns READ
  await bob.waitForSelector('li.msg.own[data-status="READ"]', { timeout: WAIT });
  await shot(alice, 'chat.png');
});

test('call: alice calls bob, bob answers, audio flows both ways, mute, hang-up ends it on both sides', async () => {
  await alice.click('#chat-call');
  await bob.waitForSelector('#incoming .incoming-card', { timeout: WAIT });
  assert.match(await bob.locator('#incoming').innerText(), /Alice is calling/);
  await alice.waitForSelector('#call-bar[data-state="RINGING"]', { timeout: WAIT });
  await shot(bob, 'incoming-call.png');
  await bob.click('#incoming button.answer');

  await Promise.all([waitConnected(alice), waitConnected(bob)]);
  await alice.waitForSelector('#call-bar[data-state="ACTIVE"]', { timeout: WAIT });
  await bob.waitForSelector('#call-bar[data-state="ACTIVE"]', { timeout: WAIT });
  const first = [await inboundAudioBytes(alice), await inboundAudioBytes(bob)];
  await new Promise((r) => setTimeout(r, 2500));
  const second = [await inboundAudioBytes(alice), await inboundAudioBytes(bob)];
  console.log(`inbound audio bytes: alice ${first[0]} -> ${second[0]}, bob ${first[1]} -> ${second[1]}`);
  assert.ok(second[0] > first[0] && first[0] >= 0, `alice receives audio: ${first[0]} -> ${second[0]}`);
  assert.ok(second[1] > first[1] && first[1] >= 0, `bob receives audio: ${first[1]} -> ${second[1]}`);
  const candidates = await alice.evaluate(async () => {
    const list = [];
    (await window.sipgw.phone.call.pc.getStats()).forEach((r) => {
      if (r.type === 'local-candidate' || r.type === 'remote-candidate') list.push(r.address ?? r.ip);
    });
    return list;
  });
  assert.ok(candidates.every((a) => a === '127.0.0.1' || a === '::1'), `only loopback candidates: ${candidates}`);

  await alice.click('#call-mute');
  assert.equal(await alice.evaluate(() => window.sipgw.phone.call.stream.getAudioTracks().every((t) => !t.enabled)), true);
  await alice.waitForSelector('#call-mute[aria-pressed="true"]');
  await alice.click('#call-mute');
  assert.equal(await alice.evaluate(() => window.sipgw.phone.call.stream.getAudioTracks().every((t) => t.enabled)), true);
  await alice.evaluate(() => {
    const list = document.querySelector('#messages');
    list.scrollTop = list.scrollHeight;
  });
  await shot(alice, 'call.png');

  await alice.click('#call-hangup');
  await alice.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await bob.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  assert.equal(await connectionState(alice), 'none');
  assert.equal(await connectionState(bob), 'none');
});

test('history: the call is ENDED with its duration on both sides; a rejected and a missed call', async () => {
  await alice.click('#tab-calls');
  const aliceEntry = alice.locator('#call-history li.call-entry').first();
  await alice.waitForSelector('#call-history li.call-entry[data-state="ENDED"][data-direction="OUTGOING"]', { timeout: WAIT });
  assert.ok(Number(await aliceEntry.getAttribute('data-duration')) >= 2, 'the call lasted a few seconds');
  assert.match(await aliceEntry.locator('.call-outcome').innerText(), /^\d+:\d\d$/);
  await bob.click('#tab-calls');
  await bob.waitForSelector('#call-history li.call-entry[data-state="ENDED"][data-direction="INCOMING"]', { timeout: WAIT });

  // bob rejects the next call: alice sees it declined
  await alice.click('#call-history li.call-entry .call-button');
  await bob.waitForSelector('#incoming .incoming-card', { timeout: WAIT });
  await bob.click('#incoming button.reject');
  await alice.waitForSelector('#call-bar[data-state="REJECTED"]', { timeout: WAIT });
  await bob.waitForSelector('#incoming', { state: 'hidden', timeout: WAIT });

  // bob calls alice and gives up while it rings: a missed call for alice
  await bob.click('#call-history li.call-entry .call-button');
  await alice.waitForSelector('#incoming .incoming-card', { timeout: WAIT });
  await bob.waitForSelector('#call-bar[data-state="RINGING"]', { timeout: WAIT });
  await bob.click('#call-hangup');
  await alice.waitForSelector('#incoming', { state: 'hidden', timeout: WAIT });
  await alice.waitForSelector('#call-history li.call-entry[data-missed="true"]', { timeout: WAIT });
  await alice.click('#history-missed');
  await alice.waitForFunction(() => {
    const entries = [...document.querySelectorAll('#call-history li.call-entry')];
    return entries.length === 1 && entries[0].dataset.missed === 'true';
  }, null, { timeout: WAIT });
  await alice.click('#history-all');
  await alice.waitForFunction(() => document.querySelectorAll('#call-history li.call-entry').length === 3, null, { timeout: WAIT });
  await shot(alice, 'history.png');
});

test('chat history pages back: 35 more messages, the newest 30 first, then the rest', async () => {
  for (let i = 1; i <= 35; i++) {
    const sent = await apiFromPage(bob, 'POST', '/messages', { to: uri('alice'), type: 'TEXT', content: `note ${i}` });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
  }
  await alice.locator('li.msg.theirs', { hasText: 'note 35' }).waitFor({ timeout: WAIT });
  await alice.click('#tab-contacts');
  await alice.click(`${contact('carol@127.0.0.1')} .item-main`);
  await alice.waitForFunction(() => document.querySelector('#chat-peer')?.textContent === 'Carol', null, { timeout: WAIT });
  await alice.click(`${contact('bob@127.0.0.1')} .item-main`);
  await alice.waitForSelector('#load-older', { timeout: WAIT });
  assert.equal(await alice.locator('li.msg').count(), 30);
  await alice.click('#load-older');
  await alice.waitForFunction(() => document.querySelectorAll('li.msg').length === 37, null, { timeout: WAIT });
  assert.equal(await alice.locator('#load-older').count(), 0, 'no older messages left');
});

test('admin: the dashboard shows the statistics and the call records; STUN from /config/sip', async () => {
  const admin = await newPage('admin');
  await admin.goto(`${BASE}/`);
  await loggedIn(admin, 'admin');
  await admin.click('#tab-admin');
  await admin.waitForSelector('#stats [data-stat="totalCalls"]', { timeout: WAIT });
  assert.equal(await admin.locator('#stats [data-stat="totalCalls"] .stat-value').innerText(), '3');
  assert.ok(Number(await admin.locator('#stats [data-stat="onlineUsers"] .stat-value').innerText()) >= 3);
  assert.ok(Number(await admin.locator('#stats [data-stat="totalMessages"] .stat-value').innerText()) >= 37);
  await admin.waitForSelector('#call-records tr[data-status="COMPLETED"]', { timeout: WAIT });
  await admin.waitForSelector('#call-records tr[data-status="REJECTED"]', { timeout: WAIT });
  await admin.waitForSelector('#call-records tr[data-status="MISSED"]', { timeout: WAIT });
  await shot(admin, 'dashboard.png');

  // the STUN server an admin sets is what the next call's RTCPeerConnection gets
  assert.deepEqual(await alice.evaluate(() => window.sipgw.phone.rtcConfiguration()), { iceServers: [] });
  const set = await apiFromPage(admin, 'PUT', '/config/sip', { stunServer: 'stun:127.0.0.1:3478' });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(await alice.evaluate(() => window.sipgw.phone.rtcConfiguration()), { iceServers: [{ urls: 'stun:127.0.0.1:3478' }] });
  const reset = await apiFromPage(admin, 'PUT', '/config/sip', { stunServer: '' });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  await admin.context().close();
});

test('video call: alice video-calls bob from the contacts, bob answers with video, both see each other, video flows both ways', async () => {
  await alice.click('#tab-contacts');
  await alice.click(`${contact('bob@127.0.0.1')} button.video-call-button`);
  await bob.waitForSelector('#incoming .incoming-card', { timeout: WAIT });
  assert.match(await bob.locator('#incoming').innerText(), /Alice is video calling/);
  assert.equal(await bob.locator('#incoming button.answer').innerText(), 'Audio only', 'a video call can be answered audio only');
  await shot(bob, 'incoming-video-call.png');
  await bob.click('#incoming button.answer-video');

  await Promise.all([waitConnected(alice), waitConnected(bob)]);
  for (const page of [alice, bob]) {
    await page.waitForSelector('#call-bar[data-state="ACTIVE"][data-video="true"]', { timeout: WAIT });
    await page.waitForSelector('#video-stage:not([hidden])', { timeout: WAIT });
    // the far end's camera plays large, the own camera small
    await page.waitForFunction(() => document.querySelector('#remote-video').videoWidth > 0
      && document.querySelector('#local-video').videoWidth > 0, null, { timeout: WAIT });
  }
  const first = [await inboundVideo(alice), await inboundVideo(bob)];
  assert.ok(first[0].bytes >= 0 && first[1].bytes >= 0, `both have a call: ${JSON.stringify(first)}`);
  const second = [await videoGrows(alice, first[0], 10), await videoGrows(bob, first[1], 10)];
  console.log(`inbound video: alice ${JSON.stringify(first[0])} -> ${JSON.stringify(second[0])}, bob ${JSON.stringify(first[1])} -> ${JSON.stringify(second[1])}`);
  assert.ok(second[0].frames > first[0].frames + 10 && second[0].bytes > first[0].bytes, 'alice receives bob\'s video');
  assert.ok(second[1].frames > first[1].frames + 10 && second[1].bytes > first[1].bytes, 'bob receives alice\'s video');
  assert.ok(await inboundAudioBytes(alice) > 0 && await inboundAudioBytes(bob) > 0, 'the audio flows beside the video');

  const callId = await alice.evaluate(() => window.sipgw.phone.call.callId);
  const status = await apiFromPage(alice, 'GET', `/calls/${callId}`);
  assert.equal(status.body.data.type, 'VIDEO', JSON.stringify(status.body));
  await shot(alice, 'video-call.png');

  await bob.click('#call-hangup');
  await alice.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await bob.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await alice.waitForSelector('#video-stage', { state: 'hidden', timeout: WAIT });
  assert.equal(await alice.evaluate(() => document.querySelector('#local-video').srcObject), null, 'the camera is let go');
  await alice.click('#tab-calls');
  await alice.waitForSelector(`#call-history li.call-entry[data-call-id="${callId}"][data-type="VIDEO"][data-state="ENDED"]`, { timeout: WAIT });
});

test('video call answered audio only: the video is declined, audio flows, the caller is told there is no video', async () => {
  await alice.click('#tab-contacts');
  await alice.click(`${contact('bob@127.0.0.1')} button.video-call-button`);
  await bob.waitForSelector('#incoming .incoming-card', { timeout: WAIT });
  await bob.click('#incoming button.answer');
  await Promise.all([waitConnected(alice), waitConnected(bob)]);
  await bob.waitForSelector('#call-bar[data-state="ACTIVE"][data-video="false"]', { timeout: WAIT });
  assert.equal(await bob.locator('#video-stage').isHidden(), true, 'bob answered without camera: no video band');
  assert.equal(await bob.evaluate(() => window.sipgw.phone.call.stream.getVideoTracks().length), 0, 'bob\'s camera stays off');
  const answer = await bob.evaluate(() => window.sipgw.phone.call.pc.localDescription.sdp);
  assert.match(answer.slice(answer.indexOf('m=video')), /\r\na=inactive\r\n/, 'the answer declines the video');
  await alice.waitForSelector('#call-bar[data-state="ACTIVE"][data-video="true"]', { timeout: WAIT });
  await alice.waitForSelector('#video-stage .no-video:not([hidden])', { timeout: WAIT });
  const before = [await inboundAudioBytes(alice), await inboundAudioBytes(bob)];
  await alice.waitForFunction(() => document.querySelector('#local-video').videoWidth > 0, null, { timeout: WAIT });
  await bob.waitForFunction(() => window.sipgw.phone.call.pc.connectionState === 'connected', null, { timeout: WAIT });
  const after = [await audioGrows(alice, before[0]), await audioGrows(bob, before[1])];
  assert.ok(after[0] > before[0] && after[1] > before[1], `audio flows both ways: ${before} -> ${after}`);
  await shot(alice, 'video-call-audio-only.png');
  await alice.click('#call-hangup');
  await bob.waitForSelector('#call-bar[data-state="ENDED"]', { timeout: WAIT });
  await alice.waitForSelector('#video-stage', { state: 'hidden', timeout: WAIT });
});

test('event socket: a dropped socket reconnects and events flow again', async () => {
  await alice.evaluate(() => window.sipgw.socket.ws.close(4000, 'test drops the socket'));
  await alice.waitForSelector('#connection[data-state="reconnecting"]', { timeout: WAIT });
  await alice.waitForSelector('#connection[data-state="open"]', { timeout: WAIT });
  await alice.click('#tab-chats');
  await alice.click('#conversation-list li.conversation .item-main');
  await bob.fill('#composer-input', 'Still there?');
  await bob.click('#composer-send');
  await alice.locator('li.msg.theirs', { hasText: 'Still there?' }).waitFor({ timeout: WAIT });
  await bob.waitForSelector('li.msg.own[data-status="READ"] >> text=Still there?', { timeout: WAIT });
});

test('session: an invalid or expired token returns to the login screen; logout keeps the last URI', async () => {
  await bob.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem('sipgw.session'));
    session.token = `${session.token.slice(0, -4)}AAAA`;
    sessionStorage.setItem('sipgw.session', JSON.stringify(session));
  });
  await bob.reload();
  await bob.waitForFunction(() => document.querySelector('#login-error')?.textContent.includes('no longer valid'), null, { timeout: WAIT });

  await alice.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem('sipgw.session'));
    session.expiresAt = Date.now() - 1000;
    sessionStorage.setItem('sipgw.session', JSON.stringify(session));
  });
  await alice.reload();
  await alice.waitForFunction(() => document.querySelector('#login-error')?.textContent.includes('expired'), null, { timeout: WAIT });
  await loggedIn(alice, 'alice');
  await alice.click('#logout');
  await alice.waitForSelector('#login-uri');
  assert.equal(await alice.inputValue('#login-uri'), uri('alice'));
  assert.equal(pageErrors.length, 0, `no uncaught errors in the pages: ${pageErrors.join('; ')}`);
});
