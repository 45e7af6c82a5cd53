/**
 * The media relay: a client of rtpengine's ng control protocol ({@code NgClient}, bencoded dictionaries
 * over UDP, {@code Bencode}) and its MicroProfile Config ({@code MediaRelay}). It rewrites SDP through
 * rtpengine so that a browser's WebRTC media (ICE, DTLS-SRTP, rtcp-mux) meets a SIP phone's plain
 * RTP/AVP. Imports nothing of the rest of the gateway; {@code calls.MediaBridge} uses it.
 */
package io.sipgw.media;
