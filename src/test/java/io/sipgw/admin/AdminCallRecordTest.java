package io.sipgw.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sipgw.calls.Call;
import io.sipgw.calls.CallDirection;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdminCallRecordTest {

    private static final Instant T0 = Instant.parse("2025-11-15T10:31:00Z");

    private static Call outgoing() {
        return new Call("call-1", "alice@h", "sip:alice@h", "bob@h", "sip:bob@h", CallDirection.OUTGOING, "sip-1", T0);
    }

    private static Call incoming() {
        return new Call("call-2", "bob@h", "sip:bob@h", "alice@h", "sip:alice@h", CallDirection.INCOMING, "sip-1", T0);
    }

    @Test
    void endedCallIsCompletedWithPartiesAsCallerAndCallee() {
        Call call = outgoing();
        call.activate(T0.plusSeconds(5));
        call.end("bye", T0.plusSeconds(130));
        AdminCallRecord r = AdminCallRecord.of(call, false, T0.plusSeconds(200));
        assertEquals("COMPLETED", r.status());
        assertEquals("alice@h", r.from());
        assertEquals("bob@h", r.to());
        assertEquals(125, r.duration());
        assertEquals(T0, r.startTime());
        assertEquals(T0.plusSeconds(130), r.endTime());

        Call received = incoming();
        assertEquals("alice@h", AdminCallRecord.of(received, false, T0).from());
        assertEquals("bob@h", AdminCallRecord.of(received, false, T0).to());
    }

    @Test
    void unansweredCallsAreMissedFailedOrRejected() {
        Call cancelled = outgoing();
        cancelled.cancel("caller gave up", T0.plusSeconds(3));
        assertEquals("MISSED", AdminCallRecord.of(cancelled, false, T0).status());

        Call timedOut = outgoing();
        timedOut.fail("480", T0.plusSeconds(60));
        assertEquals("MISSED", AdminCallRecord.of(timedOut, true, T0).status(), "the callee's side was missed");
        assertEquals("FAILED", AdminCallRecord.of(timedOut, false, T0).status(), "e.g. the callee was offline");

        Call fromPhone = incoming();
        fromPhone.fail("ring timeout", T0.plusSeconds(60));
        assertEquals("MISSED", AdminCallRecord.of(fromPhone, false, T0).status(), "its own missed flag counts");

        Call rejected = outgoing();
        rejected.reject("busy", T0.plusSeconds(2));
        assertEquals("REJECTED", AdminCallRecord.of(rejected, false, T0).status());

        assertEquals("RINGING", AdminCallRecord.of(outgoing(), false, T0).status());
    }
}
