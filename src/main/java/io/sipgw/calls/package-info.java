/**
 * Audio calls (spec section 4): the {@code Call} entity owns its state machine; calls are SIP INVITE
 * dialogs carrying the browsers' WebRTC offer and answer, with trickle ICE relayed in SIP INFO. Owns the
 * call resources, the stored calls and history, SDP checks, and the call events (INCOMING_CALL,
 * CALL_STATE_CHANGED, ICE_CANDIDATE_RECEIVED).
 */
package io.sipgw.calls;
