package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.SipPhone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * Key presses from a browser user to a SIP phone (an IVR, voicemail PIN): POST /calls/{callId}/dtmf sends
 * one INFO with {@code application/dtmf-relay} per key, in order, only for the call's owner and only while
 * the call is active.
 */
@RunAsClient
class DtmfIT extends GatewayIT {

    private Api.Result dtmf(String token, String callId, String body) {
        return api.post("/api/calls/" + callId + "/dtmf", body, token);
    }

    @Test
    void keysReachThePhoneAsDtmfRelayInfoInOrderWhileTheCallIsActive() throws Exception {
        String caller = api.login(uri("p3"));
        String stranger = api.login(uri("t12"));
        try (EventSocket socket = EventSocket.open(api, caller);
             SipPhone phone = new SipPhone("p4", "127.0.0.1", "127.0.0.1", sipServerPort, Integer.getInteger("it.phone.port"))) {
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            CompletableFuture<Api.Result> placing = CompletableFuture.supplyAsync(() -> api.post("/api/calls",
                    Json.createObjectBuilder().add("to", uri("p4")).add("type", "AUDIO").add("sdp", SdpTest.CHROME_OFFER)
                            .build().toString(), caller));
            SipPhone.PhoneCall call = phone.accept(phone.awaitRequest("INVITE", r -> true));
            call.respond(180, null);
            Api.Result placed = placing.get(15, TimeUnit.SECONDS);
            assertEquals(200, placed.status(), placed.body());
            String callId = placed.data().getString("callId");

            Api.Result ringing = dtmf(caller, callId, "{\"digits\":\"1\"}");
            assertEquals(409, ringing.status(), ringing.body());
            assertEquals("INVALID_STATE", ringing.errorCode());

            call.respond(200, CallsIT.ANSWER);
            phone.awaitRequest("ACK", r -> true);
            socket.await("CALL_STATE_CHANGED", f -> f.getJsonObject("data").getString("callId").equals(callId)
                    && f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);

            Api.Result sent = dtmf(caller, callId, "{\"digits\":\"1#a\",\"durationMs\":100}");
            assertEquals(200, sent.status(), sent.body());
            assertEquals(callId, sent.data().getString("callId"));
            assertEquals("1#A", sent.data().getString("digits"));
            assertEquals("SIP_INFO", sent.data().getString("method"));
            for (String key : new String[] {"1", "#", "A"}) {
                RequestEvent info = phone.awaitRequest("INFO", r -> true);
                assertTrue(info.getRequest().getHeader("Content-Type").toString().contains("application/dtmf-relay"));
                assertNull(info.getRequest().getHeader("Info-Package"), "legacy INFO, as phones send it");
                assertEquals("Signal=" + key + "\r\nDuration=100\r\n", SipPhone.body(info.getRequest()), "keys in order");
                phone.answer(info, 200);
            }

            // bad keys, bad durations, someone else's call: nothing reaches the phone
            JsonObject details = dtmf(caller, callId, "{\"digits\":\"1\\r\\nSignal=9\"}").json().getJsonObject("error").getJsonObject("details");
            assertTrue(details.containsKey("digits"), details.toString());
            Api.Result tooShort = dtmf(caller, callId, "{\"digits\":\"5\",\"durationMs\":5}");
            assertEquals(400, tooShort.status(), tooShort.body());
            assertTrue(tooShort.json().getJsonObject("error").getJsonObject("details").containsKey("durationMs"));
            assertEquals(400, dtmf(caller, callId, "{\"digits\":\"" + "1".repeat(33) + "\"}").status());
            assertEquals(400, dtmf(caller, callId, "{}").status());
            Api.Result notTheirs = dtmf(stranger, callId, "{\"digits\":\"9\"}");
            assertEquals(404, notTheirs.status(), notTheirs.body());

            assertEquals(200, api.delete("/api/calls/" + callId, caller).status());
            RequestEvent bye = phone.awaitRequest("BYE", r -> true);
            phone.answer(bye, 200);
            Api.Result ended = dtmf(caller, callId, "{\"digits\":\"2\"}");
            assertEquals(409, ended.status(), ended.body());
            assertThrows(AssertionError.class, () -> phone.awaitRequest("INFO"), "no INFO came of the refusals");
            phone.register("secret123", 0);
        }
    }
}
