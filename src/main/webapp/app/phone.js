// Audio and video calls with WebRTC: the offer goes out with POST /calls, the answer comes back in the
// CALL_STATE_CHANGED event (sdp), ICE candidates trickle over the event socket both ways.
// Local candidates appear before POST /calls has answered the callId, and remote ones can arrive
// before the remote description is set: both are queued.
import { ApiError } from './errors.js';

const FINAL_STATES = new Set(['ENDED', 'REJECTED', 'CANCELLED', 'FAILED']);
const EARLY_EVENT_LIMIT = 100;

/** RTCIceServer entries from GET /config/sip (stunServer, turnServer); none by default. */
export function iceServersFrom(config) {
  const servers = [];
  const stun = config?.stunServer;
  if (stun) servers.push({ urls: /^stuns?:/i.test(stun) ? stun : `stun:${stun}` });
  const turn = config?.turnServer;
  // the API carries no TURN credentials; RTCPeerConnection insists on both members for turn: URLs
  if (turn) servers.push({ urls: /^turns?:/i.test(turn) ? turn : `turn:${turn}`, username: '', credential: '' });
  return servers;
}

function plainCandidate(c) {
  return c ? { candidate: c.candidate, sdpMLineIndex: c.sdpMLineIndex, sdpMid: c.sdpMid } : null;
}

export class Phone {
  /**
   * @param api the REST client
   * @param send(frame) sends a client frame on the event socket
   * @param onChange() called whenever the call, the incoming calls or the last ended call change
   * @param onEnded(call) called once when a call (answered or not) reaches a final state
   */
  constructor({ api, send, onChange, onEnded }) {
    this.api = api;
    this.send = send;
    this.onChange = onChange;
    this.onEnded = onEnded ?? (() => {});
    this.call = null; // the call in progress (one at a time)
    this.incoming = []; // ringing incoming calls not yet answered or rejected
    this.lastEnded = null;
    this.earlyEvents = new Map(); // callId -> events that arrived before POST /calls answered
    this.remoteAudio = new Audio();
    this.remoteAudio.autoplay = true;
  }

  changed() {
    this.onChange?.();
  }

  async rtcConfiguration() {
    let config = null;
    try {
      config = (await this.api.get('/config/sip')).data;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) throw e;
      // without the settings the call still works between hosts that reach each other
    }
    return { iceServers: iceServersFrom(config) };
  }

  /** Places an audio call to a SIP URI, or a video call (camera and microphone) with { video: true }. */
  async dial(peerUri, peerName, { video = false } = {}) {
    if (this.call) throw new Error('Hang up the current call first.');
    const call = this.newCall({ direction: 'OUTGOING', state: 'CALLING', peerUri, peerName, video });
    try {
      await this.startMedia(call);
      if (call.done) return;
      const offer = await call.pc.createOffer();
      await call.pc.setLocalDescription(offer);
      const envelope = await this.api.post('/calls', { to: peerUri, type: video ? 'VIDEO' : 'AUDIO', sdp: call.pc.localDescription.sdp });
      const placed = envelope.data;
      call.callId = placed.callId;
      call.state = placed.state;
      call.createdAt = placed.createdAt;
      if (call.done) {
        // hung up while POST /calls was on its way: give the call up at the server too
        await this.api.delete(`/calls/${call.callId}`).catch(() => {});
        return;
      }
      for (const candidate of call.localQueue.splice(0)) this.sendCandidate(call.callId, candidate);
      const early = this.earlyEvents.get(call.callId) ?? [];
      this.earlyEvents.clear();
      for (const frame of early) await this.handleEvent(frame);
      this.changed();
    } catch (e) {
      this.finish(call, 'FAILED', { error: e });
      throw e;
    }
  }

  /**
   * Answers a ringing incoming call; a call in progress is hung up first (call waiting). A VIDEO call is
   * answered with the camera when { video: true }, otherwise audio only: the offered video is declined.
   */
  async answer(callId, { video = false } = {}) {
    const ringing = this.incoming.find((c) => c.callId === callId);
    if (!ringing) return;
    if (this.call) await this.hangUp();
    this.incoming = this.incoming.filter((c) => c !== ringing);
    const call = this.newCall({
      direction: 'INCOMING', state: 'ANSWERING', callId, peerUri: ringing.from,
      peerName: ringing.fromUser?.displayName ?? ringing.from, remoteQueue: ringing.remoteQueue,
      video: video && ringing.type === 'VIDEO',
    });
    try {
      await this.startMedia(call);
      await call.pc.setRemoteDescription({ type: 'offer', sdp: ringing.sdp });
      if (!call.video) {
        // audio only: the offered video is answered inactive (nothing sent or received) rather than
        // received unseen
        for (const t of call.pc.getTransceivers()) if (t.receiver.track.kind === 'video') t.direction = 'inactive';
      }
      await this.remoteDescriptionSet(call);
      const answer = await call.pc.createAnswer();
      await call.pc.setLocalDescription(answer);
      if (call.done) return;
      const envelope = await this.api.put(`/calls/${callId}/answer`, { sdp: call.pc.localDescription.sdp });
      if (!call.done && envelope.data.state === 'ACTIVE') this.activate(call, envelope.data.answeredAt);
      this.changed();
    } catch (e) {
      if (!call.done) {
        this.api.delete(`/calls/${callId}`).catch(() => {});
        this.finish(call, 'FAILED', { error: e });
      }
      throw e;
    }
  }

  async reject(callId) {
    const ringing = this.incoming.find((c) => c.callId === callId);
    this.incoming = this.incoming.filter((c) => c !== ringing);
    this.changed();
    await this.api.put(`/calls/${callId}/reject`, { reason: 'Declined' });
  }

  /** Ends the call in progress: CANCEL while it rings, BYE once answered. */
  async hangUp() {
    const call = this.call;
    if (!call) return;
    if (!call.callId) {
      this.finish(call, 'CANCELLED', {});
      return;
    }
    try {
      const envelope = await this.api.delete(`/calls/${call.callId}`);
      this.finish(call, envelope.data.state, { duration: envelope.data.duration });
    } catch (e) {
      // INVALID_STATE: it ended meanwhile; the event says how
      this.finish(call, call.state === 'ACTIVE' ? 'ENDED' : 'CANCELLED', {});
      if (!(e instanceof ApiError && e.code === 'INVALID_STATE')) throw e;
    }
  }

  /**
   * Key presses to the far end of the active call: RFC 4733 telephone-events in the media when the call
   * negotiated them (RTCDTMFSender), else POST /calls/{callId}/dtmf, which sends SIP INFO. Returns how
   * they went: 'RTP' or 'SIP_INFO'.
   */
  async sendDtmf(keys) {
    const call = this.call;
    if (!call?.callId || call.state !== 'ACTIVE') return null;
    const sender = call.pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (sender?.dtmf?.canInsertDTMF) {
      sender.dtmf.insertDTMF(keys, 160, 60);
      return 'RTP';
    }
    await this.api.post(`/calls/${encodeURIComponent(call.callId)}/dtmf`, { digits: keys });
    return 'SIP_INFO';
  }

  toggleMute() {
    const call = this.call;
    if (!call?.stream) return;
    call.muted = !call.muted;
    for (const track of call.stream.getAudioTracks()) track.enabled = !call.muted;
    this.changed();
  }

  /** Event socket frames: INCOMING_CALL, CALL_STATE_CHANGED, ICE_CANDIDATE_RECEIVED. */
  async handleEvent(frame) {
    const data = frame.data ?? {};
    if (frame.type === 'INCOMING_CALL') {
      this.incoming.push({ ...data, remoteQueue: [], arrivedAt: Date.now() });
      this.changed();
      return;
    }
    if (frame.type !== 'CALL_STATE_CHANGED' && frame.type !== 'ICE_CANDIDATE_RECEIVED') return;
    const call = this.call?.callId === data.callId ? this.call : null;
    const ringing = this.incoming.find((c) => c.callId === data.callId);
    if (!call && !ringing) {
      if (this.call && !this.call.callId && this.earlyEvents.size < EARLY_EVENT_LIMIT) {
        // our POST /calls has not answered yet: this may be its call
        const list = this.earlyEvents.get(data.callId) ?? [];
        list.push(frame);
        this.earlyEvents.set(data.callId, list);
      }
      return;
    }
    if (frame.type === 'ICE_CANDIDATE_RECEIVED') {
      const target = call ?? ringing;
      if (call?.remoteSet) await this.addRemoteCandidate(call, data.candidate);
      else target.remoteQueue.push(data.candidate);
      return;
    }
    if (ringing) {
      if (FINAL_STATES.has(data.newState)) {
        this.incoming = this.incoming.filter((c) => c !== ringing);
        this.lastEnded = {
          peerName: ringing.fromUser?.displayName ?? ringing.from, direction: 'INCOMING', state: data.newState,
          missed: data.newState === 'CANCELLED' || data.newState === 'FAILED', duration: 0,
        };
        this.onEnded(this.lastEnded);
        this.changed();
      }
      return;
    }
    if (data.newState === 'ACTIVE') {
      if (call.direction === 'OUTGOING' && data.sdp && this.awaitsAnswer(call)) {
        await call.pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
        await this.remoteDescriptionSet(call);
      }
      this.activate(call);
    } else if (FINAL_STATES.has(data.newState)) {
      this.finish(call, data.newState, { reason: data.reason, duration: data.duration });
    } else {
      call.state = data.newState;
      if (data.newState === 'RINGING' && call.direction === 'OUTGOING' && data.sdp && call.pc?.signalingState === 'have-local-offer') {
        // early media (the far end's 183 with SDP: ringback, announcements): a provisional answer, so
        // media flows while it rings; the 200 OK's answer completes it
        await call.pc.setRemoteDescription({ type: 'pranswer', sdp: data.sdp });
        call.earlyMedia = true;
        await this.remoteDescriptionSet(call);
      }
    }
    this.changed();
  }

  /** Hangs up locally (logout, expired session): the server ends the calls itself. */
  dropAll() {
    if (this.call) this.finish(this.call, 'ENDED', {});
    this.incoming = [];
    this.changed();
  }

  // --- internals ---

  newCall(fields) {
    const call = {
      callId: null, state: 'CALLING', muted: false, video: false, pc: null, stream: null, remoteStream: new MediaStream(), connection: 'new',
      localQueue: [], remoteQueue: [], remoteSet: false, earlyMedia: false, answeredAt: null, done: false, ...fields,
    };
    this.call = call;
    this.lastEnded = null;
    this.changed();
    return call;
  }

  async startMedia(call) {
    const configuration = await this.rtcConfiguration();
    try {
      call.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: call.video });
    } catch (e) {
      const device = call.video ? 'camera or microphone' : 'microphone';
      throw Object.assign(new Error(e.name === 'NotAllowedError' ? `Access to the ${device} was denied.`
        : `The ${device} cannot be used (${e.name || e.message}).`), { name: e.name });
    }
    if (call.done) {
      call.stream.getTracks().forEach((t) => t.stop());
      return;
    }
    let pc;
    try {
      pc = new RTCPeerConnection(configuration);
    } catch {
      pc = new RTCPeerConnection(); // a STUN/TURN entry the browser refuses: go without
    }
    call.pc = pc;
    for (const track of call.stream.getTracks()) pc.addTrack(track, call.stream);
    pc.onicecandidate = (e) => {
      const candidate = plainCandidate(e.candidate);
      if (call.callId) this.sendCandidate(call.callId, candidate);
      else call.localQueue.push(candidate);
    };
    pc.ontrack = (e) => {
      // one stream for everything the far end sends (through a relay its tracks may come in separate
      // streams): played by remoteAudio, shown muted by the call view's video
      call.remoteStream.addTrack(e.track);
      this.remoteAudio.srcObject = call.remoteStream;
      this.remoteAudio.play?.().catch(() => {});
      this.changed();
    };
    pc.onconnectionstatechange = () => {
      call.connection = pc.connectionState;
      this.changed();
    };
  }

  sendCandidate(callId, candidate) {
    this.send({ type: 'ICE_CANDIDATE', data: { callId, candidate } });
  }

  /** Our offer still waits for its (final) answer: none came yet, or only early media's provisional one. */
  awaitsAnswer(call) {
    const state = call.pc?.signalingState;
    return state === 'have-local-offer' || state === 'have-remote-pranswer';
  }

  async remoteDescriptionSet(call) {
    call.remoteSet = true;
    for (const candidate of call.remoteQueue.splice(0)) await this.addRemoteCandidate(call, candidate);
  }

  async addRemoteCandidate(call, candidate) {
    if (!candidate || call.done) return;
    try {
      // an empty candidate string is the far end's end-of-candidates
      await call.pc.addIceCandidate(candidate.candidate ? candidate : { ...candidate, candidate: '' });
    } catch (e) {
      console.warn('ICE candidate not added', candidate, e);
    }
  }

  activate(call, answeredAt) {
    if (call.state === 'ACTIVE') return;
    call.state = 'ACTIVE';
    call.answeredAt = answeredAt ? Date.parse(answeredAt) : Date.now();
  }

  finish(call, state, { reason, duration, error } = {}) {
    if (call.done) return;
    call.done = true;
    call.state = state;
    call.stream?.getTracks().forEach((t) => t.stop());
    try {
      call.pc?.close();
    } catch {
      // already closed
    }
    if (this.call === call) {
      this.call = null;
      this.remoteAudio.srcObject = null;
    }
    const seconds = duration ?? (call.answeredAt ? Math.round((Date.now() - call.answeredAt) / 1000) : 0);
    this.lastEnded = { peerName: call.peerName, direction: call.direction, state, reason, duration: seconds, error, missed: false };
    this.onEnded(this.lastEnded);
    this.changed();
  }
}
