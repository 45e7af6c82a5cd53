package io.sipgw.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The presence rules every path (login, logout, lapsed registration, PUT /auth/status) goes through. */
class UserTest {

    private static final Instant T0 = Instant.parse("2025-11-15T10:00:00Z");

    @Test
    void loginOfAnOfflineUserIsAChangeAndASecondLoginIsNot() {
        User bob = new User("bob@h", "sip:bob@h", "Bob");
        PresenceChanged online = bob.loggedIn("sip:bob@h:5060", T0).orElseThrow();
        assertEquals(new PresenceChanged.Data("bob@h", "OFFLINE", "ONLINE", null), online.data());
        assertEquals("bob@h", online.except(), "the user's own sockets do not get it");
        assertTrue(bob.loggedIn("sip:bob@h:5060", T0.plusSeconds(1)).isEmpty());
    }

    @Test
    void statusChangesAreChangesOnlyWhenStatusOrMessageDiffer() {
        User bob = new User("bob@h", "sip:bob@h", "Bob");
        bob.loggedIn("sip:bob@h", T0);
        assertEquals(new PresenceChanged.Data("bob@h", "ONLINE", "AWAY", "开会中"),
                bob.changeStatus(UserStatus.AWAY, "开会中", T0).orElseThrow().data());
        assertTrue(bob.changeStatus(UserStatus.AWAY, "开会中", T0).isEmpty());
        assertEquals("午饭", bob.changeStatus(UserStatus.AWAY, "午饭", T0).orElseThrow().data().statusMessage());
        assertEquals(T0, bob.lastSeen());
    }

    @Test
    void goingOfflineOnceIsAChangeAndAgainIsNot() {
        User bob = new User("bob@h", "sip:bob@h", "Bob");
        bob.loggedIn("sip:bob@h", T0);
        bob.changeStatus(UserStatus.BUSY, null, T0);
        assertEquals(new PresenceChanged.Data("bob@h", "BUSY", "OFFLINE", null),
                bob.wentOffline(T0.plusSeconds(60)).orElseThrow().data());
        assertEquals(T0.plusSeconds(60), bob.lastSeen());
        assertTrue(bob.wentOffline(T0.plusSeconds(90)).isEmpty(), "a lapse after logout is no change");
        assertEquals("USER_STATUS_CHANGED", PresenceChanged.of("bob@h", UserStatus.OFFLINE, UserStatus.ONLINE, null).type());
    }

    @Test
    void aRegisteredPhoneBringsAnOfflineUserOnlineAndKeepsAChosenStatus() {
        User bob = new User("bob@h", "sip:bob@h", "Bob");
        assertEquals(new PresenceChanged.Data("bob@h", "OFFLINE", "ONLINE", null),
                bob.phoneRegistered(T0).orElseThrow().data());
        assertTrue(bob.phoneRegistered(T0).isEmpty(), "a second phone is no change");

        bob.changeStatus(UserStatus.BUSY, "通话中", T0);
        assertTrue(bob.phoneRegistered(T0.plusSeconds(1)).isEmpty());
        assertEquals(UserStatus.BUSY, bob.status());
        assertEquals("通话中", bob.statusMessage());
    }
}
