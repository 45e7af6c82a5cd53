package io.sipgw.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The delivery state machine of one side's entry: a sent entry goes SENT -> DELIVERED -> READ or
 * SENT -> FAILED (a read receipt may also overtake the delivery result: SENT -> READ); a received entry
 * starts DELIVERED and turns READ. Every other change is refused by returning false and changes nothing.
 */
class MessageTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private static Message sent() {
        return Message.outgoing("m-1", "alice@h", "bob@h", "sip:alice@h", "sip:bob@h", "你好", "c-1", T0);
    }

    private static Message received() {
        return Message.incoming("m-1", "bob@h", "alice@h", "sip:alice@h", "sip:bob@h", "你好", T0);
    }

    // ---- new entries ------------------------------------------------------------------------------

    @Test
    void aSentMessageStartsSentAsTheOwnersTextWithNoReadTime() {
        Message m = sent();

        assertEquals(MessageStatus.SENT, m.status());
        assertTrue(m.isOwn());
        assertEquals(Direction.OUTGOING, m.direction());
        assertEquals("TEXT", m.type());
        assertEquals("m-1", m.messageId());
        assertEquals("alice@h", m.ownerId());
        assertEquals("bob@h", m.peerId());
        assertEquals("sip:alice@h", m.fromUri());
        assertEquals("sip:bob@h", m.toUri());
        assertEquals("你好", m.content());
        assertEquals("c-1", m.clientMsgId());
        assertEquals(T0, m.createdAt());
        assertNull(m.readAt());
    }

    @Test
    void aReceivedMessageStartsDeliveredAndIsNotOwn() {
        Message m = received();

        assertEquals(MessageStatus.DELIVERED, m.status());
        assertFalse(m.isOwn());
        assertEquals(Direction.INCOMING, m.direction());
        assertNull(m.clientMsgId());
        assertNull(m.readAt());
    }

    @Test
    void bothSidesShareOneSessionIdWhicheverWayTheMessageGoes() {
        assertEquals("alice@h-bob@h", sent().sessionId());
        assertEquals("alice@h-bob@h", received().sessionId());
        assertEquals(Message.sessionId("alice@h", "bob@h"), Message.sessionId("bob@h", "alice@h"));
    }

    @Test
    void theClientsIdMakesASendUniqueElseTheMessageIdAndDirectionDo() {
        assertEquals("client:c-1", Message.dedupKey("c-1", "m-1", Direction.OUTGOING));
        assertEquals("OUTGOING:m-1", Message.dedupKey(null, "m-1", Direction.OUTGOING));
        assertEquals("INCOMING:m-1", Message.dedupKey(null, "m-1", Direction.INCOMING));
    }

    @Test
    void everyEntryGetsANewIncreasingId() {
        Message first = sent();
        Message second = received();

        assertNotEquals(first.id(), second.id());
        assertTrue(second.id() > first.id(), "ids order a conversation");
    }

    // ---- delivery results -------------------------------------------------------------------------

    @Test
    void theFarEndTakingASentMessageDeliversItOnce() {
        Message m = sent();

        assertTrue(m.markDelivered());
        assertEquals(MessageStatus.DELIVERED, m.status());
        assertFalse(m.markDelivered(), "a second 2xx changes nothing");
        assertEquals(MessageStatus.DELIVERED, m.status());
    }

    @Test
    void aSentMessageThatIsRefusedOrUnansweredFailsOnce() {
        Message m = sent();

        assertTrue(m.markFailed());
        assertEquals(MessageStatus.FAILED, m.status());
        assertFalse(m.markFailed());
    }

    @Test
    void aFailedMessageIsNeitherDeliveredNorReadLater() {
        Message m = sent();
        m.markFailed();

        assertFalse(m.markDelivered());
        assertFalse(m.markRead(T0.plusSeconds(5)));
        assertEquals(MessageStatus.FAILED, m.status());
        assertNull(m.readAt());
    }

    @Test
    void aDeliveredMessageCannotFailAnyMore() {
        Message m = sent();
        m.markDelivered();

        assertFalse(m.markFailed());
        assertEquals(MessageStatus.DELIVERED, m.status());
    }

    @Test
    void aReceivedMessageIsAlreadyDeliveredAndCannotFail() {
        Message m = received();

        assertFalse(m.markDelivered());
        assertFalse(m.markFailed());
        assertEquals(MessageStatus.DELIVERED, m.status());
    }

    // ---- read receipts ----------------------------------------------------------------------------

    @Test
    void readingAReceivedMessageRecordsWhenOnce() {
        Message m = received();

        assertTrue(m.markRead(T0.plusSeconds(30)));
        assertEquals(MessageStatus.READ, m.status());
        assertEquals(T0.plusSeconds(30), m.readAt());

        assertFalse(m.markRead(T0.plusSeconds(90)), "a second read receipt changes nothing");
        assertEquals(T0.plusSeconds(30), m.readAt(), "the first read time stays");
    }

    @Test
    void aDeliveredSentMessageTurnsReadWithTheReceipt() {
        Message m = sent();
        m.markDelivered();

        assertTrue(m.markRead(T0.plusSeconds(30)));
        assertEquals(MessageStatus.READ, m.status());
        assertEquals(T0.plusSeconds(30), m.readAt());
    }

    @Test
    void aReadReceiptThatOvertakesTheDeliveryResultWins() {
        Message m = sent();

        assertTrue(m.markRead(T0.plusSeconds(1)));

        assertFalse(m.markDelivered(), "the late 2xx does not step back to DELIVERED");
        assertFalse(m.markFailed(), "nor does a late error fail a message that was read");
        assertEquals(MessageStatus.READ, m.status());
        assertEquals(T0.plusSeconds(1), m.readAt());
    }
}
