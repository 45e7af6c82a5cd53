// Headless Debian Chromium for the browser tests (webclient.test.mjs, audio.test.mjs, video.test.mjs):
// fake media devices (a beeping tone as microphone, a test pattern as camera, no permission prompt),
// loopback allowed for WebRTC, mDNS hiding of local addresses off so ICE candidates carry 127.0.0.1.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const BASE_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--allow-loopback-in-peer-connection',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
];
const EXTRA_DISABLED_FEATURES = ['WebRtcHideLocalIpsWithMdns'];

/** The browser's own command line (chrome://version), to read the switches Playwright added. */
async function commandLine(b) {
  const page = await (await b.newContext()).newPage();
  await page.goto('chrome://version');
  const text = await page.locator('#command_line').innerText();
  await page.context().close();
  return text;
}

/**
 * Chromium honours only the last --disable-features, and Playwright passes its own list: read that list,
 * drop Playwright's switch and pass one merged switch instead. Playwright gives each launch a fresh,
 * temporary --user-data-dir and removes it at close.
 */
export async function launch() {
  const options = (extra) => ({ executablePath: '/usr/bin/chromium', headless: true, ...extra });
  const probe = await chromium.launch(options({ args: BASE_FLAGS }));
  const line = await commandLine(probe);
  await probe.close();
  const playwrightSwitch = line.split(/\s+/).find((a) => a.startsWith('--disable-features='));
  const features = [...new Set([...(playwrightSwitch?.slice('--disable-features='.length).split(',').filter(Boolean) ?? []), ...EXTRA_DISABLED_FEATURES])];
  const args = [...BASE_FLAGS, `--disable-features=${features.join(',')}`];
  const b = await chromium.launch(options({ args, ignoreDefaultArgs: playwrightSwitch ? [playwrightSwitch] : [] }));
  const effective = await commandLine(b);
  const switches = effective.split(/\s+/).filter((a) => a.startsWith('--disable-features='));
  assert.equal(switches.length, 1, `one --disable-features switch: ${effective}`);
  assert.ok(switches[0].includes('WebRtcHideLocalIpsWithMdns'), switches[0]);
  assert.ok(/--user-data-dir=\S+/.test(effective), 'a fresh profile folder');
  return b;
}

