package io.sipgw.sip;

/**
 * What happens to one INVITE dialog, in SIP-neutral terms, for the capability that drives it. Called on a
 * SIP stack thread, one callback at a time per dialog as far as the stack allows: keep them short and
 * hand the work off. The SIP side (ACK to a 2xx, 200 to BYE and CANCEL, re-sending after a digest
 * challenge) is already done when a callback runs.
 */
public interface DialogEvents {

    /**
     * Our INVITE: a provisional response other than 100 Trying (180, 183...); {@code sdp} is its
     * {@code application/sdp} body (early media, e.g. a 183 Session Progress with ringback or an
     * announcement), null without one.
     */
    void provisional(int status, String sdp);

    /** Our INVITE was answered (2xx, acknowledged); {@code sdp} is the answer, null without a body. */
    void answered(String sdp);

    /** Our INVITE failed: a final status of 300 or more that no credentials fix; {@code reason} is "status phrase". */
    void failed(int status, String reason);

    /** Our INVITE got no final answer in time. */
    void timedOut();

    /** Their INVITE: the ACK of our 2xx arrived. */
    void ackReceived();

    /** The far end hung up (BYE, already answered 200). */
    void byeReceived();

    /**
     * An INFO in the dialog with a body of {@code mimeType} ({@code type/subtype}); true to accept it
     * (200), false for 469 Bad Info Package (RFC 6086).
     */
    boolean infoReceived(String mimeType, String body);

    /** Their INVITE was cancelled (CANCEL, already answered 200); answering 487 is up to the receiver. */
    void cancelled();
}
