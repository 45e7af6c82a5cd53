#!/usr/bin/env bash
# A real browser and a real plain RTP/AVP softphone hear each other through rtpengine (README, "Media
# relay", "Audio test"). Issue 16.
#
# Expects `mvn package` to have built target/sipgw.war and target/payara-micro.jar, and the Debian packages
# chromium, rtpengine-daemon and baresip-core. Like run.sh (whose helpers it shares, netns.sh) it re-runs
# itself in a new network namespace with only the loopback interface, and there starts
#   - rtpengine on 127.0.0.1 (userspace forwarding, server-config/rtpengine/rtpengine.sh),
#   - the gateway with the embedded SIP server and sipgw.media.relay=rtpengine pointed at it,
#   - baresip as the SIP account `phone` of the test accounts: plain RTP/AVP (no ICE, DTLS or SRTP), G.711
#     only, a 440 Hz sine as its microphone (ausine), what it hears recorded to WAV files (sndfile), calls
#     answered at once (answermode=auto), driven over its ctrl_tcp JSON socket,
# then runs audio.test.mjs (headless Chromium with a fake microphone) and stops all three by their PIDs.
# Logs and recordings: target/audio-run/ (gateway.log, rtpengine/rtpengine.log, baresip.log, recordings/).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
TARGET="$ROOT/target"

# shellcheck source=netns.sh
. "$HERE/netns.sh"
if [ -z "${SIPGW_BROWSER_NETNS:-}" ]; then
  command -v rtpengine >/dev/null || { echo "missing rtpengine: apt-get install rtpengine-daemon" >&2; exit 1; }
  command -v baresip >/dev/null || { echo "missing baresip: apt-get install baresip-core" >&2; exit 1; }
fi
enter_loopback_namespace "$0" "$@"

# --- inside the namespace: loopback only, nothing listens yet ---
HTTP_PORT=18082
SIP_PORT=15070
REGISTRAR_PORT=15060
NG_PORT=22222
PHONE_SIP_PORT=15062
PHONE_CTRL_PORT=14444
RUN_DIR="$TARGET/audio-run"
LOG="$RUN_DIR/gateway.log"
PHONE_DIR="$RUN_DIR/baresip"
RECORDINGS="$RUN_DIR/recordings"
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR" "$PHONE_DIR" "$RECORDINGS"

PHONE_PID=""
stop_all() {
  # the phone first: it unregisters from the gateway's embedded SIP server on TERM
  if [ -n "$PHONE_PID" ] && kill -0 "$PHONE_PID" 2>/dev/null; then
    kill "$PHONE_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PHONE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$PHONE_PID" 2>/dev/null || true
  fi
  stop_gateway
  "$ROOT/server-config/rtpengine/rtpengine.sh" stop "$RUN_DIR/rtpengine" || true
}
trap stop_all EXIT

"$ROOT/server-config/rtpengine/rtpengine.sh" start "$RUN_DIR/rtpengine" "$NG_PORT" >/dev/null
echo "rtpengine: ng on 127.0.0.1:$NG_PORT (log: $RUN_DIR/rtpengine/rtpengine.log)"

start_gateway "$RUN_DIR/gateway" "$LOG" "$HTTP_PORT" "$SIP_PORT" "$REGISTRAR_PORT" \
  -Dsipgw.media.relay=rtpengine -Dsipgw.media.rtpengine.ng="127.0.0.1:$NG_PORT"
BASE_URL="http://127.0.0.1:$HTTP_PORT"
wait_gateway_ready "$BASE_URL" "$LOG"

# baresip 1.0: finds no address in a namespace with only lo unless told to bind 127.0.0.1 (net_interface);
# ausine needs 48 kHz stereo as source format; aubridge with no partner is a silent player (1.0's aufile
# cannot play); sndfile dumps the audio it sends (-enc) and receives (-dec) per call as WAV.
cat > "$PHONE_DIR/config" <<CONF
poll_method		epoll
net_interface		127.0.0.1
sip_listen		127.0.0.1:$PHONE_SIP_PORT
call_local_timeout	120
call_max_calls		4
audio_player		aubridge,nil
audio_source		ausine,440
audio_alert		aubridge,nil
ausrc_srate		48000
ausrc_channels		2
auplay_srate		48000
auplay_channels		2
audio_buffer		200
rtp_ports		31000-31099
rtcp_mux		no
jitter_buffer_delay	5-10
rtp_stats		yes
module_path		/usr/lib/baresip/modules
module			g711.so
module			ausine.so
module			aubridge.so
module			sndfile.so
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$PHONE_CTRL_PORT
snd_path		$RECORDINGS
CONF
# no medianat and no mediaenc: plain RTP/AVP
echo "<sip:phone@127.0.0.1:$REGISTRAR_PORT;transport=udp>;auth_pass=secret123;answermode=auto;regint=60;audio_codecs=PCMU,PCMA" \
  > "$PHONE_DIR/accounts"
baresip -f "$PHONE_DIR" -v > "$RUN_DIR/baresip.log" 2>&1 < /dev/null &
PHONE_PID=$!
echo "baresip: SIP on 127.0.0.1:$PHONE_SIP_PORT, ctrl_tcp on 127.0.0.1:$PHONE_CTRL_PORT (log: $RUN_DIR/baresip.log)"

status=0
SIPGW_BASE_URL="$BASE_URL" SIPGW_REGISTRAR_PORT="$REGISTRAR_PORT" SIPGW_NG_PORT="$NG_PORT" \
  SIPGW_PHONE_CTRL_PORT="$PHONE_CTRL_PORT" SIPGW_RECORDINGS="$RECORDINGS" SIPGW_SCREENSHOT_DIR="$RUN_DIR" \
  timeout 600 node --test --test-reporter=spec --test-timeout=300000 "$HERE/audio.test.mjs" || status=$?
if [ "$status" != 0 ]; then
  echo "audio test failed ($status); logs in $RUN_DIR" >&2
  grep -E 'SEVERE|Exception' "$LOG" | tail -n 20 >&2 || true
  tail -n 30 "$RUN_DIR/baresip.log" >&2 || true
fi
exit "$status"
