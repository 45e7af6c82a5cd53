#!/usr/bin/env bash
# A real browser and a real plain RTP/AVP SIP video phone (baresip: VP8, G.711, fakevideo as its camera)
# see and hear each other through rtpengine, both directions (README, "Audio test"; issue 16): audio.sh
# with a video phone and video.test.mjs. Options as audio.sh (--sip-server embedded|kamailio).
# Logs, the phone's snapshots and screenshots: target/video-run/.
exec bash "$(cd "$(dirname "$0")" && pwd)/audio.sh" --video "$@"
