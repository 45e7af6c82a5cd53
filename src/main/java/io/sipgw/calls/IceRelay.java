package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.events.ClientFrameReceived;
import io.sipgw.sip.SipInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Trickle ICE from the clients' sockets to the far end: ICE_CANDIDATE frames become INFO in the call's
 * (early) dialog (RFC 8840), kept by the {@link Leg} until the far end's tag is known. Candidates coming
 * the other way are the leg's dialog events ({@link Legs#candidatesReceived}).
 */
@ApplicationScoped
public class IceRelay {

    @Inject
    Legs legs;

    /** ICE_CANDIDATE frames from a client's socket; errors become the socket's ERROR frame. */
    void clientFrame(@Observes ClientFrameReceived frame) {
        if (!"ICE_CANDIDATE".equals(frame.type())) {
            return;
        }
        JsonObject data = frame.data();
        if (!(data.get("callId") instanceof JsonString callId)) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.ICE_CANDIDATE_WITHOUT_CALL_ID.text(), Map.of("callId", "required"));
        }
        IceCandidate candidate;
        JsonValue value = data.get("candidate");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            candidate = new IceCandidate("", 0, null);
        } else if (value instanceof JsonObject c && absentOr(c.get("candidate"), JsonString.class)
                && absentOr(c.get("sdpMid"), JsonString.class) && absentOr(c.get("sdpMLineIndex"), JsonNumber.class)) {
            candidate = new IceCandidate(c.get("candidate") instanceof JsonString s ? s.getString() : "",
                    mLineIndex(c.get("sdpMLineIndex")), c.get("sdpMid") instanceof JsonString mid ? mid.getString() : null);
        } else {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.ICE_CANDIDATE_MALFORMED.text(),
                    Map.of("candidate", "an object {candidate, sdpMLineIndex, sdpMid} or null"));
        }
        relay(frame.userId(), callId.getString(), candidate);
    }

    /** Relays a client's candidate to the far end in INFO, or queues it until the dialog exists. */
    public void relay(String userId, String callId, IceCandidate candidate) {
        check(candidate);
        Leg leg = legs.find(callId).filter(l -> l.ownerId().equals(userId)).orElseThrow(() ->
                new ApiException(ErrorCode.NOT_FOUND, UserText.CALL_NOT_FOUND_OR_ENDED.text(), Map.of("callId", String.valueOf(callId))));
        leg.serially(() -> leg.relay(candidate));
    }

    /** The candidate's values go into the INFO's SDP fragment: control characters, other lines or overlong values are refused. */
    static void check(IceCandidate candidate) {
        String line = candidate.candidate();
        String problem = SipInput.candidateProblem(line);
        if (problem != null) {
            UserText text = line.length() > SipInput.MAX_CANDIDATE ? UserText.ICE_CANDIDATE_TOO_LONG : UserText.ICE_CANDIDATE_MALFORMED;
            throw new ApiException(ErrorCode.VALIDATION_ERROR, text.text(), Map.of("candidate", problem));
        }
        problem = SipInput.sdpMidProblem(candidate.sdpMid());
        if (problem != null) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.ICE_CANDIDATE_MALFORMED.text(), Map.of("sdpMid", problem));
        }
        problem = SipInput.mLineIndexProblem(candidate.sdpMLineIndex());
        if (problem != null) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.ICE_CANDIDATE_MALFORMED.text(), Map.of("sdpMLineIndex", problem));
        }
    }

    private static boolean absentOr(JsonValue value, Class<? extends JsonValue> type) {
        return value == null || value.getValueType() == JsonValue.ValueType.NULL || type.isInstance(value);
    }

    /** sdpMLineIndex as given (0 when absent); a fraction or a number beyond int is out of range (-1). */
    private static Integer mLineIndex(JsonValue value) {
        if (!(value instanceof JsonNumber n)) {
            return 0;
        }
        if (!n.isIntegral()) {
            return -1;
        }
        try {
            return n.intValueExact();
        } catch (ArithmeticException e) {
            return -1;
        }
    }
}
