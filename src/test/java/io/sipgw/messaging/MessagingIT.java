package io.sipgw.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.SipPhone;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * Messages between two gateway users through the SIP server under test (embedded, or Kamailio in the
 * kamailio profile): REST in, SIP MESSAGE across, WebSocket events out, history, sessions, read
 * receipts, idempotency and authorization.
 */
@RunAsClient
class MessagingIT extends GatewayIT {

    private Api.Result send(String token, String to, String content, String clientMsgId) {
        String metadata = clientMsgId == null ? "" : ",\"metadata\":{\"clientMsgId\":\"" + clientMsgId + "\"}";
        return api.post("/api/messages", "{\"to\":\"" + to + "\",\"type\":\"TEXT\",\"content\":\"" + content + "\"" + metadata + "}", token);
    }

    @Test
    void twoUsersExchangeMessagesBothWaysWithEventsHistoryAndReadReceipts() {
        String t1 = api.login(uri("t1"));
        String t2 = api.login(uri("t2"));
        try (EventSocket s1 = EventSocket.open(api, t1); EventSocket s2 = EventSocket.open(api, t2)) {
            String text = "你好，收到了吗？ " + UUID.randomUUID();
            Api.Result sent = send(t1, uri("t2"), text, "c-" + UUID.randomUUID());
            assertEquals(200, sent.status(), sent.body());
            assertEquals("消息已发送", sent.json().getString("message"));
            JsonObject data = sent.data();
            String messageId = data.getString("messageId");
            assertEquals("SENT", data.getString("status"));
            assertEquals(text, data.getString("content"));
            assertEquals(uri("t2"), data.getString("to"));
            assertEquals(uri("t1"), data.getString("from"));
            assertEquals("TEXT", data.getString("type"));
            assertNotNull(data.getString("timestamp"));

            JsonObject received = s2.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT);
            JsonObject rd = received.getJsonObject("data");
            assertEquals(text, rd.getString("content"));
            assertEquals("sip:t1@127.0.0.1", rd.getString("from"));
            assertEquals("t1@127.0.0.1-t2@127.0.0.1", rd.getString("sessionId"));
            assertEquals("TEXT", rd.getString("type"));
            assertNotNull(received.getString("timestamp"));

            JsonObject delivered = s1.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT);
            assertEquals("SENT", delivered.getJsonObject("data").getString("oldStatus"));
            assertEquals("DELIVERED", delivered.getJsonObject("data").getString("newStatus"));

            String reply = "收到了，谢谢！ " + UUID.randomUUID();
            Api.Result back = send(t2, uri("t1"), reply, null);
            assertEquals(200, back.status(), back.body());
            s1.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals(reply), WAIT);

            // sessions: the same id from both sides; t1 has one unread (the reply), t2 one (the first)
            JsonObject s1Session = session(t1, "t1@127.0.0.1-t2@127.0.0.1");
            JsonObject s2Session = session(t2, "t1@127.0.0.1-t2@127.0.0.1");
            assertEquals(1, s1Session.getInt("unreadCount"));
            assertEquals(1, s2Session.getInt("unreadCount"));
            assertEquals(reply, s1Session.getJsonObject("lastMessage").getString("content"));
            assertEquals("t2@127.0.0.1", s1Session.getJsonObject("peer").getString("userId"));
            assertEquals("T2", s1Session.getJsonObject("peer").getString("displayName"));
            assertEquals("ONLINE", s1Session.getJsonObject("peer").getString("status"));

            // history from both sides: newest first, one entry per side, isOwn flips
            JsonObject h1 = api.get("/api/messages/sessions/t1@127.0.0.1-t2@127.0.0.1", t1).data();
            assertEquals(2, h1.getInt("totalMessages"));
            assertFalse(h1.getBoolean("hasMore"));
            var m1 = h1.getJsonArray("messages");
            assertEquals(reply, m1.getJsonObject(0).getString("content"));
            assertFalse(m1.getJsonObject(0).getBoolean("isOwn"));
            assertEquals(text, m1.getJsonObject(1).getString("content"));
            assertTrue(m1.getJsonObject(1).getBoolean("isOwn"));
            assertEquals(messageId, m1.getJsonObject(1).getString("messageId"));
            JsonObject h2 = api.get("/api/messages/sessions/t1@127.0.0.1-t2@127.0.0.1?page=0&size=1", t2).data();
            assertEquals(2, h2.getInt("totalMessages"));
            assertTrue(h2.getBoolean("hasMore"));
            assertEquals(1, h2.getJsonArray("messages").size());
            assertTrue(h2.getJsonArray("messages").getJsonObject(0).getBoolean("isOwn"));

            // read receipt: only the recipient may mark; the sender hears READ with readAt
            assertEquals(403, api.put("/api/messages/" + messageId + "/read", null, t1).status());
            Api.Result read = api.put("/api/messages/" + messageId + "/read", null, t2);
            assertEquals(200, read.status(), read.body());
            assertEquals("已标记为已读", read.json().getString("message"));
            JsonObject receipt = s1.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("newStatus").equals("READ"), WAIT);
            assertEquals(messageId, receipt.getJsonObject("data").getString("messageId"));
            assertEquals("DELIVERED", receipt.getJsonObject("data").getString("oldStatus"));
            assertNotNull(receipt.getJsonObject("data").getString("readAt"));
            assertEquals(0, session(t2, "t1@127.0.0.1-t2@127.0.0.1").getInt("unreadCount"));
            var history = api.get("/api/messages/sessions/t1@127.0.0.1-t2@127.0.0.1", t1).data().getJsonArray("messages");
            assertEquals("READ", history.getJsonObject(1).getString("status"));

            assertEquals(0, api.get("/api/messages/sessions?unreadOnly=true", t2).json().getJsonArray("data").size());
            assertEquals(1, api.get("/api/messages/sessions?unreadOnly=true", t1).json().getJsonArray("data").size());
        }
    }

    @Test
    void nobodyReadsOrMarksAnotherUsersConversation() {
        String t3 = api.login(uri("t3"));
        String t4 = api.login(uri("t4"));
        String t5 = api.login(uri("t5"));
        Api.Result sent = send(t3, uri("t4"), "private " + UUID.randomUUID(), null);
        assertEquals(200, sent.status(), sent.body());
        String messageId = sent.data().getString("messageId");

        Api.Result peek = api.get("/api/messages/sessions/t3@127.0.0.1-t4@127.0.0.1", t5);
        assertEquals(403, peek.status(), peek.body());
        assertEquals("FORBIDDEN", peek.errorCode());
        assertFalse(peek.body().contains("private"));

        Api.Result mark = api.put("/api/messages/" + messageId + "/read", null, t5);
        assertEquals(404, mark.status(), mark.body());
        assertEquals("NOT_FOUND", mark.errorCode());

        assertTrue(api.get("/api/messages/sessions", t5).json().getJsonArray("data").stream()
                .noneMatch(s -> s.asJsonObject().getString("sessionId").contains("t3@")));
        assertEquals(401, api.get("/api/messages/sessions", null).status());
    }

    @Test
    void concurrentRetriesWithOneClientMsgIdSendOnce() throws Exception {
        String t6 = api.login(uri("t6"));
        String t7 = api.login(uri("t7"));
        try (EventSocket s7 = EventSocket.open(api, t7)) {
            String clientMsgId = "retry-" + UUID.randomUUID();
            String text = "once " + UUID.randomUUID();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Api.Result>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Api.Result> call = () -> send(t6, uri("t7"), text, clientMsgId);
                results.add(pool.submit(call));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Api.Result> f : results) {
                Api.Result r = f.get();
                assertEquals(200, r.status(), r.body());
                ids.add(r.data().getString("messageId"));
            }
            pool.shutdown();
            assertEquals(1, ids.size(), "every retry answers the same messageId");

            s7.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals(text), WAIT);
            String marker = "marker " + UUID.randomUUID();
            assertEquals(200, send(t6, uri("t7"), marker, null).status());
            s7.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals(marker), WAIT);
            long copies = api.get("/api/messages/sessions/t6@127.0.0.1-t7@127.0.0.1?size=200", t7).data()
                    .getJsonArray("messages").stream()
                    .filter(m -> m.asJsonObject().getString("content").equals(text)).count();
            assertEquals(1, copies, "the recipient got the message exactly once");
        }
    }

    private static String sendFrame(String body) {
        return "{\"type\":\"SEND_MESSAGE\",\"data\":" + body + "}";
    }

    private static String body(String to, String type, String content, String clientMsgId) {
        return "{\"to\":\"" + to + "\",\"type\":\"" + type + "\",\"content\":" + content
                + ",\"metadata\":{\"clientMsgId\":\"" + clientMsgId + "\"}}";
    }

    @Test
    void sendMessageFrameSendsOnceAndAnswersOnThatSocketAsThePostWould() {
        String t6 = api.login(uri("t6"));
        String t7 = api.login(uri("t7"));
        try (EventSocket s6 = EventSocket.open(api, t6); EventSocket other6 = EventSocket.open(api, t6);
             EventSocket s7 = EventSocket.open(api, t7)) {
            for (EventSocket s : List.of(s6, other6, s7)) {
                s.send("{\"type\":\"PING\"}");
                s.await("PONG", WAIT);
            }
            String clientMsgId = "ws-" + UUID.randomUUID();
            String text = "over the socket " + UUID.randomUUID();
            String frame = sendFrame(body(uri("t7"), "TEXT", "\"" + text + "\"", clientMsgId));
            s6.send(frame);
            // the delivery result is recorded on the worker pool while the frame's answer is sent: its
            // MESSAGE_STATUS_UPDATED may come before MESSAGE_SENT, so keep what comes first
            List<JsonObject> first = s6.framesUntil("MESSAGE_SENT", f -> true, WAIT);
            JsonObject sent = first.get(first.size() - 1).getJsonObject("data");
            assertEquals(clientMsgId, sent.getString("clientMsgId"));
            JsonObject message = sent.getJsonObject("message");
            String messageId = message.getString("messageId");
            assertEquals(clientMsgId, message.getString("clientMsgId"));
            assertEquals("SENT", message.getString("status"));
            assertEquals(text, message.getString("content"));
            assertEquals(uri("t7"), message.getString("to"));
            assertEquals(uri("t6"), message.getString("from"));
            assertEquals("TEXT", message.getString("type"));
            assertNotNull(message.getString("timestamp"));
            s7.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT);
            Predicate<JsonObject> delivered = f -> f.getString("type").equals("MESSAGE_STATUS_UPDATED")
                    && f.getJsonObject("data").getString("messageId").equals(messageId)
                    && f.getJsonObject("data").getString("newStatus").equals("DELIVERED");
            if (first.stream().noneMatch(delivered)) {
                s6.await("MESSAGE_STATUS_UPDATED", delivered, WAIT);
            }

            // the same clientMsgId again, over the socket or by POST: the same message, nothing sent again
            s6.send(frame);
            assertEquals(messageId, s6.await("MESSAGE_SENT", WAIT).getJsonObject("data").getJsonObject("message").getString("messageId"));
            Api.Result posted = send(t6, uri("t7"), text, clientMsgId);
            assertEquals(200, posted.status(), posted.body());
            assertEquals(messageId, posted.data().getString("messageId"));
            String marker = "marker " + UUID.randomUUID();
            s6.send(sendFrame(body(uri("t7"), "TEXT", "\"" + marker + "\"", "ws-" + UUID.randomUUID())));
            s7.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals(marker), WAIT);
            long copies = api.get("/api/messages/sessions/t6@127.0.0.1-t7@127.0.0.1?size=200", t7).data()
                    .getJsonArray("messages").stream()
                    .filter(m -> m.asJsonObject().getString("content").equals(text)).count();
            assertEquals(1, copies, "the recipient got the message exactly once");

            // the answers went to the sending socket only
            other6.send("{\"type\":\"PING\"}");
            other6.await("PONG", WAIT);
            assertTrue(other6.drain().stream().noneMatch(f -> f.getString("type").equals("MESSAGE_SENT")));

            // refusals: an ERROR frame naming the clientMsgId, with the code and details the POST gives (the POST
            // under another clientMsgId: the refused offline send is stored FAILED, and its id answers that entry)
            List<String[]> refused = List.of(
                    new String[] {"bob", "TEXT", "\"hi\""},
                    new String[] {uri("t7"), "FILE", "\"hi\""},
                    new String[] {uri("t7"), "TEXT", "\"  \""},
                    new String[] {uri("t7"), "TEXT", "{\"not\":\"text\"}"},
                    new String[] {uri("nobody"), "TEXT", "\"anyone there?\""});
            for (String[] bad : refused) {
                String id = UUID.randomUUID().toString();
                s6.send(sendFrame(body(bad[0], bad[1], bad[2], "ws-" + id)));
                JsonObject error = s6.await("ERROR", WAIT);
                Api.Result post = api.post("/api/messages", body(bad[0], bad[1], bad[2], "post-" + id), t6);
                assertEquals(400, post.status(), post.body());
                assertEquals("ws-" + id, error.getJsonObject("data").getString("clientMsgId"), error.toString());
                assertEquals(post.errorCode(), error.getJsonObject("error").getString("code"), post.body() + " / " + error);
                assertEquals(post.json().getJsonObject("error").getString("message"), error.getJsonObject("error").getString("message"));
                if (post.json().getJsonObject("error").containsKey("details")) {
                    assertEquals(post.json().getJsonObject("error").getJsonObject("details").keySet(),
                            error.getJsonObject("error").getJsonObject("details").keySet(), post.body() + " / " + error);
                }
            }
            assertFalse(s6.isClosed(), "a refused send leaves the socket open");
        }
    }

    @Test
    void recipientWhoIsNotRegisteredIsUserOffline() {
        String t8 = api.login(uri("t8"));
        Api.Result offline = send(t8, uri("t9"), "anyone there?", null);
        assertEquals(400, offline.status(), offline.body());
        assertEquals("USER_OFFLINE", offline.errorCode());

        Api.Result unknown = send(t8, uri("nobody"), "anyone there?", null);
        assertEquals(400, unknown.status(), unknown.body());
        assertEquals("USER_OFFLINE", unknown.errorCode());
    }

    @Test
    void invalidMessagesAreRejectedWithDetails() {
        String t8 = api.login(uri("t8"));
        Api.Result file = api.post("/api/messages", "{\"to\":\"" + uri("t9") + "\",\"type\":\"FILE\",\"content\":\"x\"}", t8);
        assertEquals(400, file.status(), file.body());
        assertTrue(file.json().getJsonObject("error").getJsonObject("details").containsKey("type"));

        Api.Result empty = send(t8, uri("t9"), "  ", null);
        assertEquals(400, empty.status(), empty.body());
        assertTrue(empty.json().getJsonObject("error").getJsonObject("details").containsKey("content"));

        Api.Result badTo = send(t8, "bob", "hi", null);
        assertEquals(400, badTo.status(), badTo.body());
        assertTrue(badTo.json().getJsonObject("error").getJsonObject("details").containsKey("to"));

        Api.Result tooLong = send(t8, uri("t9"), "x".repeat(Message.MAX_CONTENT + 1), null);
        assertEquals(400, tooLong.status(), tooLong.body());

        Api.Result badPage = api.get("/api/messages/sessions/t8@127.0.0.1-t9@127.0.0.1?page=-1&size=abc", t8);
        assertEquals(400, badPage.status(), badPage.body());
        var details = badPage.json().getJsonObject("error").getJsonObject("details");
        assertTrue(details.containsKey("page") && details.containsKey("size"), details.toString());

        Api.Result badBefore = api.get("/api/messages/sessions/t8@127.0.0.1-t9@127.0.0.1?before=yesterday", t8);
        assertEquals(400, badBefore.status(), badBefore.body());
    }

    @Test
    void plainSipPhoneAndGatewayUserExchangeMessages() throws Exception {
        String t14 = api.login(uri("t14"));
        try (EventSocket socket = EventSocket.open(api, t14);
             SipPhone phone = new SipPhone("t13", "127.0.0.1", "127.0.0.1", sipServerPort, Integer.getInteger("it.phone.port"))) {
            assertEquals(200, phone.register("secret123", 300).getStatusCode());

            String fromPhone = "from a phone " + UUID.randomUUID();
            assertEquals(200, phone.sendMessage("t14", fromPhone), "stored and answered 200 OK");
            JsonObject received = socket.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals(fromPhone), WAIT);
            assertEquals("sip:t13@127.0.0.1", received.getJsonObject("data").getString("from"));
            assertEquals("t13@127.0.0.1-t14@127.0.0.1", received.getJsonObject("data").getString("sessionId"));

            String toPhone = "to a phone " + UUID.randomUUID();
            Api.Result sent = send(t14, uri("t13"), toPhone, null);
            assertEquals(200, sent.status(), sent.body());
            var message = phone.awaitRequest("MESSAGE", r -> SipPhone.body(r).equals(toPhone));
            assertTrue(message.getRequest().getHeader("Content-Type").toString().contains("text/plain"));
            phone.answer(message, 200);
            String messageId = sent.data().getString("messageId");
            JsonObject delivered = socket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT);
            assertEquals("DELIVERED", delivered.getJsonObject("data").getString("newStatus"));
            phone.register("secret123", 0);
        }
    }

    @Test
    void farEndErrorMarksTheMessageFailed() throws Exception {
        String t15 = api.login(uri("t15"));
        try (EventSocket socket = EventSocket.open(api, t15);
             SipPhone phone = new SipPhone("t16", "127.0.0.1", "127.0.0.1", sipServerPort, Integer.getInteger("it.phone.port"))) {
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            String text = "refused " + UUID.randomUUID();
            Api.Result sent = send(t15, uri("t16"), text, null);
            assertEquals(200, sent.status(), sent.body());
            phone.answer(phone.awaitRequest("MESSAGE", r -> SipPhone.body(r).equals(text)), 488);
            String messageId = sent.data().getString("messageId");
            JsonObject failed = socket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT);
            assertEquals("FAILED", failed.getJsonObject("data").getString("newStatus"));
            phone.register("secret123", 0);
        }
    }

    private JsonObject session(String token, String sessionId) {
        return api.get("/api/messages/sessions", token).json().getJsonArray("data").stream()
                .map(v -> v.asJsonObject())
                .filter(s -> s.getString("sessionId").equals(sessionId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session " + sessionId));
    }
}
