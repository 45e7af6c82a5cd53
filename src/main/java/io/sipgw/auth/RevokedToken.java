package io.sipgw.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A token given up by logout before it expired; kept until it would have expired anyway. */
@Entity
@Table(name = "SIPGW_REVOKED_TOKEN")
public class RevokedToken {

    @Id
    @Column(length = 64)
    private String jti;

    @Column(nullable = false, length = 255)
    private String userId;

    @Column(nullable = false)
    private Instant expiresAt;

    protected RevokedToken() {
    }

    public RevokedToken(String jti, String userId, Instant expiresAt) {
        this.jti = jti;
        this.userId = userId;
        this.expiresAt = expiresAt;
    }

    public String jti() {
        return jti;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
