package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.api.ErrorCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The call state machine: RINGING -> ACTIVE -> ENDED, RINGING -> REJECTED, CANCELLED or FAILED, ACTIVE ->
 * FAILED; every other transition is refused with INVALID_STATE and changes nothing.
 */
class CallTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private static Call call(CallDirection direction) {
        return new Call("call-1", "alice@h", "sip:alice@h", "bob@h", "sip:bob@h", direction, "sip-call-1", T0);
    }

    /** A call of this direction brought into {@code state} through legal transitions. */
    private static Call callIn(CallState state, CallDirection direction) {
        Call call = call(direction);
        switch (state) {
            case RINGING -> { }
            case ACTIVE -> call.activate(T0.plusSeconds(5));
            case ENDED -> {
                call.activate(T0.plusSeconds(5));
                call.end("hung up", T0.plusSeconds(65));
            }
            case REJECTED -> call.reject("declined", T0.plusSeconds(5));
            case CANCELLED -> call.cancel("caller gave up", T0.plusSeconds(5));
            case FAILED -> call.fail("no answer", T0.plusSeconds(60));
        }
        assertEquals(state, call.state());
        return call;
    }

    /**
     * The transition is refused as INVALID_STATE. Which exception type carries the code is known only
     * here and in {@link #errorCode}.
     */
    private static void assertRefused(Executable transition) {
        RuntimeException refused = assertThrows(RuntimeException.class, transition);
        assertEquals(ErrorCode.INVALID_STATE, errorCode(refused));
    }

    private static ErrorCode errorCode(RuntimeException refused) {
        return assertInstanceOf(CallStateException.class, refused).code();
    }

    // ---- a new call -------------------------------------------------------------------------------

    @Test
    void aNewCallRingsAndHasNoAnswerEndOrDuration() {
        Call call = call(CallDirection.OUTGOING);

        assertEquals(CallState.RINGING, call.state());
        assertEquals(T0, call.createdAt());
        assertNull(call.answeredAt());
        assertNull(call.endedAt());
        assertNull(call.endReason());
        assertFalse(call.missed());
        assertEquals("AUDIO", call.type());
        assertEquals(0, call.durationSeconds(T0.plusSeconds(30)));
    }

    @Test
    void anOutgoingCallIsFromItsOwnerToThePeer() {
        Call call = call(CallDirection.OUTGOING);

        assertEquals("sip:alice@h", call.fromUri());
        assertEquals("sip:bob@h", call.toUri());
        assertEquals("alice@h", call.callerId());
        assertEquals("bob@h", call.calleeId());
    }

    @Test
    void anIncomingCallIsFromThePeerToItsOwner() {
        Call call = call(CallDirection.INCOMING);

        assertEquals("sip:bob@h", call.fromUri());
        assertEquals("sip:alice@h", call.toUri());
        assertEquals("bob@h", call.callerId());
        assertEquals("alice@h", call.calleeId());
    }

    // ---- legal transitions ------------------------------------------------------------------------

    @Test
    void answeringARingingCallMakesItActiveFromThatMoment() {
        Call call = call(CallDirection.INCOMING);

        assertEquals(CallState.RINGING, call.activate(T0.plusSeconds(5)));

        assertEquals(CallState.ACTIVE, call.state());
        assertEquals(T0.plusSeconds(5), call.answeredAt());
        assertNull(call.endedAt());
        assertFalse(call.missed());
    }

    @Test
    void anActiveCallCountsItsDurationUpToNow() {
        Call call = callIn(CallState.ACTIVE, CallDirection.OUTGOING);

        assertEquals(25, call.durationSeconds(T0.plusSeconds(30)));
    }

    @Test
    void hangingUpAnActiveCallEndsItWithReasonTimeAndFixedDuration() {
        Call call = callIn(CallState.ACTIVE, CallDirection.OUTGOING);

        assertEquals(CallState.ACTIVE, call.end("hung up", T0.plusSeconds(65)));

        assertEquals(CallState.ENDED, call.state());
        assertEquals("hung up", call.endReason());
        assertEquals(T0.plusSeconds(65), call.endedAt());
        assertEquals(60, call.durationSeconds(T0.plusSeconds(3600)), "the duration stops at the end");
        assertFalse(call.missed());
    }

    @ParameterizedTest
    @EnumSource(CallDirection.class)
    void rejectingARingingCallIsNeverAMissedCall(CallDirection direction) {
        Call call = call(direction);

        assertEquals(CallState.RINGING, call.reject("declined", T0.plusSeconds(3)));

        assertEquals(CallState.REJECTED, call.state());
        assertEquals("declined", call.endReason());
        assertEquals(T0.plusSeconds(3), call.endedAt());
        assertNull(call.answeredAt());
        assertEquals(0, call.durationSeconds(T0.plusSeconds(10)));
        assertFalse(call.missed());
    }

    @Test
    void aCallerGivingUpIsAMissedCallForTheCallee() {
        Call callee = call(CallDirection.INCOMING);

        assertEquals(CallState.RINGING, callee.cancel("caller gave up", T0.plusSeconds(8)));

        assertEquals(CallState.CANCELLED, callee.state());
        assertTrue(callee.missed());
        assertEquals("caller gave up", callee.endReason());
        assertEquals(T0.plusSeconds(8), callee.endedAt());
    }

    @Test
    void cancellingIsNotAMissedCallForTheCaller() {
        Call caller = call(CallDirection.OUTGOING);

        caller.cancel("caller gave up", T0.plusSeconds(8));

        assertEquals(CallState.CANCELLED, caller.state());
        assertFalse(caller.missed());
    }

    @Test
    void aRingingIncomingCallThatFailsIsMissed() {
        Call callee = call(CallDirection.INCOMING);

        assertEquals(CallState.RINGING, callee.fail("no answer", T0.plusSeconds(60)));

        assertEquals(CallState.FAILED, callee.state());
        assertTrue(callee.missed());
        assertEquals("no answer", callee.endReason());
        assertEquals(T0.plusSeconds(60), callee.endedAt());
    }

    @Test
    void aRingingOutgoingCallThatFailsIsNotMissed() {
        Call caller = call(CallDirection.OUTGOING);

        caller.fail("480 Temporarily Unavailable", T0.plusSeconds(1));

        assertEquals(CallState.FAILED, caller.state());
        assertFalse(caller.missed());
    }

    @ParameterizedTest
    @EnumSource(CallDirection.class)
    void anActiveCallCanFailAndIsThenNotMissed(CallDirection direction) {
        Call call = callIn(CallState.ACTIVE, direction);

        assertEquals(CallState.ACTIVE, call.fail("no ACK", T0.plusSeconds(37)));

        assertEquals(CallState.FAILED, call.state());
        assertFalse(call.missed());
        assertEquals(T0.plusSeconds(5), call.answeredAt());
        assertEquals(32, call.durationSeconds(T0.plusSeconds(100)));
    }

    @Test
    void aLongReasonIsCutTo200CharactersAndNoReasonStaysNone() {
        Call rejected = call(CallDirection.INCOMING);
        rejected.reject("x".repeat(500), T0);
        assertEquals("x".repeat(200), rejected.endReason());

        Call failed = call(CallDirection.INCOMING);
        failed.fail(null, T0);
        assertNull(failed.endReason());
    }

    // ---- illegal transitions ----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = CallState.class, names = "RINGING", mode = EnumSource.Mode.EXCLUDE)
    void onlyARingingCallCanBeAnswered(CallState state) {
        Call call = callIn(state, CallDirection.INCOMING);
        assertRefused(() -> call.activate(T0.plusSeconds(99)));
        assertEquals(state, call.state());
    }

    @ParameterizedTest
    @EnumSource(value = CallState.class, names = "RINGING", mode = EnumSource.Mode.EXCLUDE)
    void onlyARingingCallCanBeRejected(CallState state) {
        Call call = callIn(state, CallDirection.INCOMING);
        assertRefused(() -> call.reject("too late", T0.plusSeconds(99)));
        assertEquals(state, call.state());
    }

    @ParameterizedTest
    @EnumSource(value = CallState.class, names = "RINGING", mode = EnumSource.Mode.EXCLUDE)
    void onlyARingingCallCanBeCancelled(CallState state) {
        Call call = callIn(state, CallDirection.INCOMING);
        boolean missedBefore = call.missed();
        assertRefused(() -> call.cancel("too late", T0.plusSeconds(99)));
        assertEquals(state, call.state());
        assertEquals(missedBefore, call.missed());
    }

    @ParameterizedTest
    @EnumSource(value = CallState.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
    void onlyAnActiveCallCanBeHungUp(CallState state) {
        Call call = callIn(state, CallDirection.OUTGOING);
        assertRefused(() -> call.end("hang up", T0.plusSeconds(99)));
        assertEquals(state, call.state());
    }

    @ParameterizedTest
    @EnumSource(value = CallState.class, names = {"RINGING", "ACTIVE"}, mode = EnumSource.Mode.EXCLUDE)
    void aFinishedCallCannotFail(CallState state) {
        Call call = callIn(state, CallDirection.INCOMING);
        String reason = call.endReason();
        Instant endedAt = call.endedAt();
        assertRefused(() -> call.fail("late failure", T0.plusSeconds(99)));
        assertEquals(state, call.state());
        assertEquals(reason, call.endReason(), "a refused transition keeps the reason");
        assertEquals(endedAt, call.endedAt(), "a refused transition keeps the end time");
    }

    @Test
    void onlyRingingAndActiveAreNotFinal() {
        for (CallState state : CallState.values()) {
            assertEquals(state != CallState.RINGING && state != CallState.ACTIVE, state.isFinal(), state.name());
        }
    }

    // ---- early media --------------------------------------------------------------------------------

    @Test
    void earlyMediaKeepsAnOutgoingCallRinging() {
        Call call = call(CallDirection.OUTGOING);
        assertEquals(CallState.RINGING, call.earlyMedia());
        assertEquals(CallState.RINGING, call.state());
        assertNull(call.answeredAt());
        call.activate(T0.plusSeconds(5));
        assertEquals(CallState.ACTIVE, call.state());
    }

    @ParameterizedTest
    @EnumSource(value = CallState.class, names = "RINGING", mode = EnumSource.Mode.EXCLUDE)
    void earlyMediaIsRefusedOnceTheCallNoLongerRings(CallState state) {
        Call call = callIn(state, CallDirection.OUTGOING);
        assertRefused(call::earlyMedia);
        assertEquals(state, call.state());
    }

    @Test
    void earlyMediaIsOnlyForTheCaller() {
        Call call = call(CallDirection.INCOMING);
        assertRefused(call::earlyMedia);
        assertEquals(CallState.RINGING, call.state());
    }

    @Test
    void keyPressesNeedAnActiveCallInEitherDirection() {
        for (CallDirection direction : CallDirection.values()) {
            callIn(CallState.ACTIVE, direction).checkActive();
            for (CallState state : CallState.values()) {
                if (state != CallState.ACTIVE) {
                    assertRefused(() -> callIn(state, direction).checkActive());
                }
            }
        }
    }
}
