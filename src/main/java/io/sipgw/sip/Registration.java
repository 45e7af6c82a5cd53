package io.sipgw.sip;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.SipProvider;

/**
 * One user's live registration at their SIP server: the dialog-like state that refreshes and the final
 * unREGISTER reuse (Call-ID, CSeq, Contact) and the digest state (HA1 only; the password is dropped
 * once the realm is known; the last challenge its requests answered, for nonce reuse). Guarded by its own monitor.
 */
public final class Registration {

    private final SipUri aor;
    private final SipProvider provider;
    private final String callId;
    private final String fromTag;
    private final String contactUser;
    private final AtomicLong cseq = new AtomicLong();
    private String password;
    private String realm;
    private String ha1;
    private volatile int grantedExpires;
    private volatile Instant keepUntil;
    private ScheduledFuture<?> refresh;
    private final AtomicReference<AnsweredChallenge> lastChallenge = new AtomicReference<>();

    Registration(SipUri aor, SipProvider provider, String callId, String fromTag, String contactUser) {
        this.aor = aor;
        this.provider = provider;
        this.callId = callId;
        this.fromTag = fromTag;
        this.contactUser = contactUser;
    }

    public SipUri aor() {
        return aor;
    }

    public SipProvider provider() {
        return provider;
    }

    /** {@code ip:port} of the listening point this user's SIP traffic uses. */
    public String localAddress() {
        var lp = provider.getListeningPoints()[0];
        return (lp.getIPAddress().contains(":") ? "[" + lp.getIPAddress() + "]" : lp.getIPAddress()) + ":" + lp.getPort();
    }

    /** The user part of the Contact, unique per registration: maps incoming requests to the user. */
    public String contactUser() {
        return contactUser;
    }

    public int grantedExpires() {
        return grantedExpires;
    }

    String callId() {
        return callId;
    }

    String fromTag() {
        return fromTag;
    }

    long nextCseq() {
        return cseq.incrementAndGet();
    }

    synchronized void offerPassword(String password) {
        this.password = password;
    }

    /** HA1 for the realm of a challenge; computed from the offered password on first use. */
    synchronized String ha1For(String challengeRealm) {
        if (password != null) {
            realm = challengeRealm;
            ha1 = Digest.ha1(aor.user(), challengeRealm, password);
            password = null;
        }
        return challengeRealm.equals(realm) ? ha1 : null;
    }

    synchronized void forgetPassword() {
        password = null;
    }

    /**
     * The last digest challenge a request of this user (MESSAGE, INVITE) answered, and how many requests
     * used its nonce so far: the next ones reuse it with the next nonce count.
     */
    record AnsweredChallenge(DigestChallenge challenge, AtomicLong count) {

        long nextCount() {
            return count.incrementAndGet();
        }
    }

    /** Remembers a challenge just answered with nonce count 1. */
    void challengeAnswered(DigestChallenge challenge) {
        lastChallenge.set(new AnsweredChallenge(challenge, new AtomicLong(1)));
    }

    /** The challenge to reuse for the next request, or null. */
    AnsweredChallenge lastChallenge() {
        return lastChallenge.get();
    }

    /**
     * The digest state: HA1 for the realm (null before the first challenge), to put back when a re-login with
     * another password fails, and what another member of a cluster registers with when it takes the user over.
     */
    public record Credentials(String realm, String ha1) {
    }

    public synchronized Credentials credentials() {
        return new Credentials(realm, ha1);
    }

    synchronized void restore(Credentials saved) {
        password = null;
        realm = saved.realm();
        ha1 = saved.ha1();
    }

    void granted(int expires) {
        this.grantedExpires = expires;
    }

    public Instant keepUntil() {
        return keepUntil;
    }

    void keepUntil(Instant until) {
        this.keepUntil = until;
    }

    synchronized void refresh(ScheduledFuture<?> next) {
        if (refresh != null) {
            refresh.cancel(false);
        }
        refresh = next;
    }

    synchronized void cancelRefresh() {
        refresh(null);
    }
}
