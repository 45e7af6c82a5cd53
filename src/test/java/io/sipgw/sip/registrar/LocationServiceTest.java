package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocationServiceTest {

    private static final String A = "sip:alice@127.0.0.1:5071";
    private static final String B = "sip:alice@127.0.0.1:5072;transport=tcp";

    private final MutableClock clock = new MutableClock();
    private final LocationService locations = new LocationService(clock);

    @Test
    void registeredContactIsFoundUntilItExpires() {
        locations.register("alice", "call-1", 1, List.of(new ContactUpdate(A, 60)));

        assertEquals(A, locations.mostRecent("alice").orElseThrow().contactUri());
        assertEquals(60, locations.bindings("alice").get(0).secondsLeft(clock.instant()));

        clock.advance(Duration.ofSeconds(60));
        assertTrue(locations.bindings("alice").isEmpty());
    }

    @Test
    void mostRecentlyRefreshedContactComesFirst() {
        locations.register("alice", "call-a", 1, List.of(new ContactUpdate(A, 600)));
        clock.advance(Duration.ofSeconds(1));
        locations.register("alice", "call-b", 1, List.of(new ContactUpdate(B, 600)));
        assertEquals(B, locations.mostRecent("alice").orElseThrow().contactUri());

        clock.advance(Duration.ofSeconds(1));
        locations.register("alice", "call-a", 2, List.of(new ContactUpdate(A, 600)));
        assertEquals(List.of(A, B), locations.bindings("alice").stream().map(Binding::contactUri).toList());
    }

    @Test
    void zeroExpiresRemovesOnlyThatContact() {
        locations.register("alice", "call-1", 1, List.of(new ContactUpdate(A, 600), new ContactUpdate(B, 600)));
        locations.register("alice", "call-1", 2, List.of(new ContactUpdate(A, 0)));

        assertEquals(List.of(B), locations.bindings("alice").stream().map(Binding::contactUri).toList());
    }

    @Test
    void removeAllClearsTheUser() {
        locations.register("alice", "call-1", 1, List.of(new ContactUpdate(A, 600), new ContactUpdate(B, 600)));
        locations.removeAll("alice", "call-2", 1);

        assertTrue(locations.bindings("alice").isEmpty());
    }

    @Test
    void sameCallIdWithOlderCSeqIsRejectedAndChangesNothing() {
        locations.register("alice", "call-1", 5, List.of(new ContactUpdate(A, 600)));

        assertThrows(OutOfOrderRegisterException.class,
                () -> locations.register("alice", "call-1", 5, List.of(new ContactUpdate(A, 0))));
        assertThrows(OutOfOrderRegisterException.class, () -> locations.removeAll("alice", "call-1", 4));
        assertEquals(1, locations.bindings("alice").size());
    }

    @Test
    void usersAreIndependent() {
        locations.register("alice", "call-1", 1, List.of(new ContactUpdate(A, 600)));

        assertTrue(locations.mostRecent("bob").isEmpty());
    }

    @Test
    void aFirstAndALastPhoneBindingAreReportedOnceEach() {
        List<String> reports = new ArrayList<>();
        locations.onPhonesChanged(reports::add);

        locations.register("alice", "call-1", 1, List.of(new ContactUpdate(A, 600)));
        locations.register("alice", "call-1", 2, List.of(new ContactUpdate(A, 600))); // a refresh
        locations.register("alice", "call-2", 1, List.of(new ContactUpdate(B, 600))); // a second phone
        assertEquals(List.of("alice"), reports);
        assertTrue(locations.hasPhone("alice"));

        locations.register("alice", "call-1", 3, List.of(new ContactUpdate(A, 0)));
        assertEquals(List.of("alice"), reports, "one phone is left");
        locations.removeAll("alice", "call-3", 1);
        assertEquals(List.of("alice", "alice"), reports);
        assertFalse(locations.hasPhone("alice"));
    }

    @Test
    void theGatewaysOwnBindingsAreNoPhone() {
        List<String> reports = new ArrayList<>();
        locations.onPhonesChanged(reports::add);

        locations.register("alice", "call-g", 1, List.of(new ContactUpdate(A, 600)), true);
        assertFalse(locations.hasPhone("alice"));
        assertTrue(locations.mostRecent("alice").isPresent(), "requests still reach the gateway's contact");
        assertTrue(reports.isEmpty());

        locations.register("alice", "call-p", 1, List.of(new ContactUpdate(B, 600)));
        assertTrue(locations.hasPhone("alice"));
        locations.register("alice", "call-g", 2, List.of(new ContactUpdate(A, 0)), true);
        assertEquals(List.of("alice"), reports, "the gateway's unregistering leaves the phone");
    }

    @Test
    void aLapsedPhoneIsReportedByTheSweep() {
        List<String> reports = new ArrayList<>();
        locations.onPhonesChanged(reports::add);
        locations.register("alice", "call-1", 1, List.of(new ContactUpdate(A, 60)));
        locations.register("bob", "call-2", 1, List.of(new ContactUpdate(B, 600)));

        clock.advance(Duration.ofSeconds(59));
        locations.sweep();
        assertEquals(List.of("alice", "bob"), reports);

        clock.advance(Duration.ofSeconds(1));
        locations.sweep();
        assertEquals(List.of("alice", "bob", "alice"), reports);
        assertFalse(locations.hasPhone("alice"));
        assertTrue(locations.hasPhone("bob"));
        locations.sweep();
        assertEquals(3, reports.size(), "a lapse is reported once");
    }
}
