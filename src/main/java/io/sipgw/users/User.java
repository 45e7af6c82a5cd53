package io.sipgw.users;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A directory entry: a provisioned account or anyone who has logged in. Owns its presence rules.
 */
@Entity
@Table(name = "SIPGW_USER")
public class User {

    public static final int MAX_STATUS_MESSAGE = 200;

    @Id
    @Column(length = 255)
    private String userId;

    @Column(nullable = false, length = 300)
    private String sipUri;

    @Column(length = 200)
    private String displayName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private UserStatus status = UserStatus.OFFLINE;

    @Column(length = MAX_STATUS_MESSAGE)
    private String statusMessage;

    private Instant lastActivity;
    private Instant lastSeen;

    @Column(length = 200)
    private String email;

    @Column(length = 64)
    private String phone;

    @Column(length = 500)
    private String avatar;

    @Version
    private long version;

    protected User() {
    }

    public User(String userId, String sipUri, String displayName) {
        this.userId = userId;
        this.sipUri = sipUri;
        this.displayName = displayName;
    }

    /**
     * A successful login: the user is online again, with the SIP URI they logged in with.
     *
     * @return the presence change others should see, empty when the user was already plainly ONLINE
     */
    public Optional<PresenceChanged> loggedIn(String loginSipUri, Instant at) {
        UserStatus oldStatus = status;
        String oldMessage = statusMessage;
        this.sipUri = loginSipUri;
        this.status = UserStatus.ONLINE;
        this.statusMessage = null;
        this.lastActivity = at;
        this.lastSeen = at;
        return changedFrom(oldStatus, oldMessage);
    }

    /**
     * The user's last session ended (logout or lapsed registration).
     *
     * @return the presence change others should see, empty when the user was OFFLINE already
     */
    public Optional<PresenceChanged> wentOffline(Instant at) {
        UserStatus oldStatus = status;
        this.status = UserStatus.OFFLINE;
        this.lastSeen = at;
        return changedFrom(oldStatus, statusMessage);
    }

    /**
     * A SIP phone or softphone of the user is registered (at the embedded SIP server): an OFFLINE user
     * shows ONLINE; a status the user chose is kept.
     *
     * @return the presence change others should see, empty when the user was not OFFLINE
     */
    public Optional<PresenceChanged> phoneRegistered(Instant at) {
        if (status != UserStatus.OFFLINE) {
            return Optional.empty();
        }
        String oldMessage = statusMessage;
        this.status = UserStatus.ONLINE;
        this.statusMessage = null;
        this.lastSeen = at;
        return changedFrom(UserStatus.OFFLINE, oldMessage);
    }

    /**
     * A presence change asked by the user.
     *
     * @return the presence change others should see, empty when neither status nor message changed
     */
    public Optional<PresenceChanged> changeStatus(UserStatus newStatus, String message, Instant at) {
        if (message != null && message.length() > MAX_STATUS_MESSAGE) {
            throw new IllegalArgumentException("statusMessage is longer than " + MAX_STATUS_MESSAGE);
        }
        UserStatus oldStatus = status;
        String oldMessage = statusMessage;
        this.status = newStatus;
        this.statusMessage = message;
        this.lastActivity = at;
        this.lastSeen = at;
        return changedFrom(oldStatus, oldMessage);
    }

    private Optional<PresenceChanged> changedFrom(UserStatus oldStatus, String oldMessage) {
        if (oldStatus == status && Objects.equals(oldMessage, statusMessage)) {
            return Optional.empty();
        }
        return Optional.of(PresenceChanged.of(userId, oldStatus, status, statusMessage));
    }

    /** What to call a user the directory has no name for: the user part of their userId. */
    public static String defaultDisplayName(String userId) {
        int at = userId.indexOf('@');
        return at < 0 ? userId : userId.substring(0, at);
    }

    /** Contact data from provisioning; does not touch presence. */
    public void provision(String displayName, String email, String phone) {
        this.displayName = displayName;
        this.email = email;
        this.phone = phone;
    }

    public String userId() {
        return userId;
    }

    public String sipUri() {
        return sipUri;
    }

    public String displayName() {
        return displayName;
    }

    public UserStatus status() {
        return status;
    }

    public String statusMessage() {
        return statusMessage;
    }

    public Instant lastActivity() {
        return lastActivity;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    public String email() {
        return email;
    }

    public String phone() {
        return phone;
    }

    public String avatar() {
        return avatar;
    }
}
