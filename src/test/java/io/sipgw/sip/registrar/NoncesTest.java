package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NoncesTest {

    private final MutableClock clock = new MutableClock();
    private final Nonces nonces = new Nonces(clock, Duration.ofSeconds(300));

    @Test
    void issuedNonceIsFreshUntilItsLifetimeEnds() {
        String nonce = nonces.issue();
        assertEquals(Nonces.Freshness.FRESH, nonces.check(nonce));

        clock.advance(Duration.ofSeconds(300));
        assertEquals(Nonces.Freshness.STALE, nonces.check(nonce));
    }

    @Test
    void nonceOfAnotherServerOrTamperedIsForeign() {
        String other = new Nonces(clock, Duration.ofSeconds(300)).issue();
        String ours = nonces.issue();
        String tampered = (ours.charAt(0) == 'A' ? 'B' : 'A') + ours.substring(1);

        assertEquals(Nonces.Freshness.FOREIGN, nonces.check(other));
        assertEquals(Nonces.Freshness.FOREIGN, nonces.check(tampered));
        assertEquals(Nonces.Freshness.FOREIGN, nonces.check("not base64 !"));
    }

    @Test
    void nonceCountMustGrow() {
        String nonce = nonces.issue();

        assertTrue(nonces.acceptCount(nonce, 1));
        assertFalse(nonces.acceptCount(nonce, 1));
        assertTrue(nonces.acceptCount(nonce, 2));
        assertTrue(nonces.acceptCount(nonces.issue(), 1));
    }

    @Test
    void countsOfConcurrentRequestsMayArriveOutOfOrderButEachOnlyOnce() {
        String nonce = nonces.issue();

        assertTrue(nonces.acceptCount(nonce, 3));
        assertTrue(nonces.acceptCount(nonce, 1));
        assertTrue(nonces.acceptCount(nonce, 2));
        assertFalse(nonces.acceptCount(nonce, 2));
        assertFalse(nonces.acceptCount(nonce, 3));
        assertTrue(nonces.acceptCount(nonce, 10));
        assertTrue(nonces.acceptCount(nonce, 4));
        assertFalse(nonces.acceptCount(nonce, 4));
        assertFalse(nonces.acceptCount(nonce, 1));
    }

    @Test
    void aCountFurtherThanTheWindowBelowTheHighestIsRefused() {
        String nonce = nonces.issue();

        assertTrue(nonces.acceptCount(nonce, 1));
        assertTrue(nonces.acceptCount(nonce, 2 + Nonces.WINDOW));
        assertTrue(nonces.acceptCount(nonce, 2), "exactly the window below the highest");
        assertFalse(nonces.acceptCount(nonce, 1), "more than the window below the highest");
        assertTrue(nonces.acceptCount(nonce, 1_000));
        assertFalse(nonces.acceptCount(nonce, 2 + Nonces.WINDOW), "forgotten once out of the window: refused, never accepted twice");
    }

    @Test
    void aCountExactlyTheWindowBelowANewHighestIsStillRememberedAsSeen() {
        String nonce = nonces.issue();

        assertTrue(nonces.acceptCount(nonce, 1));
        assertTrue(nonces.acceptCount(nonce, 1 + Nonces.WINDOW));
        assertFalse(nonces.acceptCount(nonce, 1));
    }

    @Test
    void everyNonceIsDifferent() {
        assertNotEquals(nonces.issue(), nonces.issue());
    }
}
