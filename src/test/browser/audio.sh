#!/usr/bin/env bash
# A real browser and a real plain RTP/AVP softphone hear (and see) each other through rtpengine (README,
# "Media relay", "Audio test"). Issue 16.
#
#   audio.sh [--sip-server embedded|kamailio] [--video]
#
# Expects `mvn package` to have built target/sipgw.war and target/payara-micro.jar, and the Debian packages
# chromium, rtpengine-daemon and baresip-core (and kamailio for --sip-server kamailio). Like run.sh (whose
# helpers it shares, netns.sh) it re-runs itself in a new network namespace with only the loopback
# interface, and there starts
#   - rtpengine on 127.0.0.1 (userspace forwarding, server-config/rtpengine/rtpengine.sh),
#   - the SIP server: the gateway's embedded one (default), or with --sip-server kamailio Kamailio
#     (server-config/kamailio, the test accounts, INVITE and MESSAGE challenged as in the kamailio profile)
#     with the embedded one switched off,
#   - the gateway with sipgw.media.relay=rtpengine pointed at rtpengine,
#   - baresip as the SIP account `phone` of the test accounts, registered (digest) at that SIP server:
#     plain RTP/AVP (no ICE, DTLS or SRTP), G.711 only, a 440 Hz sine as its microphone (ausine), what it
#     hears recorded to WAV files (sndfile), calls answered at once (answermode=auto), driven over its
#     ctrl_tcp JSON socket; with --video also a video phone: VP8 (vp8), fakevideo as camera and display,
#     snapshot to save a decoded frame as PNG,
# then runs audio.test.mjs (with --video: video.test.mjs) in headless Chromium with a fake microphone (and
# camera) and stops everything by its PID.
# Logs and recordings: target/audio-run/ (target/audio-run-kamailio/, target/video-run/): gateway.log,
# rtpengine/rtpengine.log, baresip.log, recordings/, kamailio/kamailio.log.
set -euo pipefail

SIP_SERVER=embedded
VIDEO=no
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --sip-server) SIP_SERVER="${2:-}"; shift 2 || { echo "--sip-server needs a value" >&2; exit 2; } ;;
    --sip-server=*) SIP_SERVER="${1#*=}"; shift ;;
    --video) VIDEO=yes; shift ;;
    *) sed -n '5p' "$0" >&2; exit 2 ;;
  esac
done
case "$SIP_SERVER" in
  embedded|kamailio) ;;
  *) echo "--sip-server is embedded or kamailio, not '$SIP_SERVER'" >&2; exit 2 ;;
esac

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
TARGET="$ROOT/target"

# shellcheck source=netns.sh
. "$HERE/netns.sh"
if [ -z "${SIPGW_BROWSER_NETNS:-}" ]; then
  command -v rtpengine >/dev/null || { echo "missing rtpengine: apt-get install rtpengine-daemon" >&2; exit 1; }
  command -v baresip >/dev/null || { echo "missing baresip: apt-get install baresip-core" >&2; exit 1; }
  if [ "$SIP_SERVER" = kamailio ]; then
    command -v kamailio >/dev/null || { echo "missing kamailio: apt-get install kamailio" >&2; exit 1; }
  fi
fi
enter_loopback_namespace "$0" "${args[@]}"

# --- inside the namespace: loopback only, nothing listens yet ---
HTTP_PORT=18082
SIP_PORT=15070
REGISTRAR_PORT=15060
KAMAILIO_PORT=15080
NG_PORT=22222
PHONE_SIP_PORT=15062
PHONE_CTRL_PORT=14444
if [ "$VIDEO" = yes ]; then
  RUN_DIR="$TARGET/video-run"
  TEST="$HERE/video.test.mjs"
else
  RUN_DIR="$TARGET/audio-run"
  TEST="$HERE/audio.test.mjs"
fi
[ "$SIP_SERVER" = kamailio ] && RUN_DIR="$RUN_DIR-kamailio"
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
  if [ "$SIP_SERVER" = kamailio ]; then
    "$ROOT/server-config/kamailio/kamailio.sh" stop "$RUN_DIR/kamailio" || true
  fi
}
trap stop_all EXIT

"$ROOT/server-config/rtpengine/rtpengine.sh" start "$RUN_DIR/rtpengine" "$NG_PORT" >/dev/null
echo "rtpengine: ng on 127.0.0.1:$NG_PORT (log: $RUN_DIR/rtpengine/rtpengine.log)"

gateway_options=(-Dsipgw.media.relay=rtpengine -Dsipgw.media.rtpengine.ng="127.0.0.1:$NG_PORT")
if [ "$SIP_SERVER" = kamailio ]; then
  # as the kamailio profile of pom.xml: the test accounts (HA1s into Kamailio's db_text subscriber table),
  # out-of-dialog INVITE and MESSAGE challenged (407) like REGISTER, the embedded SIP server off
  KAMAILIO_REQUEST_AUTH=1 "$ROOT/server-config/kamailio/kamailio.sh" start "$RUN_DIR/kamailio" "$KAMAILIO_PORT" \
    "$ROOT/src/test/resources/it-accounts.properties" >/dev/null
  echo "kamailio: SIP on 127.0.0.1:$KAMAILIO_PORT (log: $RUN_DIR/kamailio/kamailio.log)"
  gateway_options+=(-Dsipgw.registrar.enabled=false)
  SERVER_PORT="$KAMAILIO_PORT"
else
  SERVER_PORT="$REGISTRAR_PORT"
fi

start_gateway "$RUN_DIR/gateway" "$LOG" "$HTTP_PORT" "$SIP_PORT" "$REGISTRAR_PORT" "${gateway_options[@]}"
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
video_codecs=""
if [ "$VIDEO" = yes ]; then
  # A video phone: fakevideo is the camera (a generated picture) and the display (frames decoded from the
  # browser go nowhere, but are counted: video_debug's "vidisp: fakevideo W x H frames=N"); snapshot
  # saves the next decoded frame as PNG (snapshot_recv). A small picture at a low rate keeps the VP8
  # encoder cheap on a shared CI machine.
  cat >> "$PHONE_DIR/config" <<CONF
video_source		fakevideo,nil
video_display		fakevideo,nil
video_size		320x240
video_bitrate		300000
video_fps		15
module			fakevideo.so
module			vp8.so
module			snapshot.so
CONF
  video_codecs=";video_codecs=VP8"
fi
# no medianat and no mediaenc: plain RTP/AVP
echo "<sip:phone@127.0.0.1:$SERVER_PORT;transport=udp>;auth_pass=secret123;answermode=auto;regint=60;audio_codecs=PCMU,PCMA$video_codecs" \
  > "$PHONE_DIR/accounts"
# -s: SIP trace in the log (the tests read the digest challenges from it)
baresip -f "$PHONE_DIR" -v -s > "$RUN_DIR/baresip.log" 2>&1 < /dev/null &
PHONE_PID=$!
echo "baresip: SIP on 127.0.0.1:$PHONE_SIP_PORT, ctrl_tcp on 127.0.0.1:$PHONE_CTRL_PORT (log: $RUN_DIR/baresip.log)"

status=0
echo "SIP server: $SIP_SERVER on 127.0.0.1:$SERVER_PORT; test: $(basename "$TEST")"
SIPGW_BASE_URL="$BASE_URL" SIPGW_REGISTRAR_PORT="$SERVER_PORT" SIPGW_SIP_SERVER="$SIP_SERVER" SIPGW_NG_PORT="$NG_PORT" \
  SIPGW_PHONE_CTRL_PORT="$PHONE_CTRL_PORT" SIPGW_PHONE_LOG="$RUN_DIR/baresip.log" SIPGW_RECORDINGS="$RECORDINGS" SIPGW_SCREENSHOT_DIR="$RUN_DIR" \
  timeout 600 node --test --test-reporter=spec --test-timeout=300000 "$TEST" || status=$?
if [ "$status" != 0 ]; then
  echo "$(basename "$TEST") failed ($status); logs in $RUN_DIR" >&2
  grep -E 'SEVERE|Exception' "$LOG" | tail -n 20 >&2 || true
  tail -n 30 "$RUN_DIR/baresip.log" >&2 || true
fi
exit "$status"
