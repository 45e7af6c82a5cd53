package io.sipgw.accounts;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A provisioned SIP account: {@code user@domain}, the HA1 digest of its password (realm = domain) and
 * the contact data the directory shows.
 *
 * @param user        the user part of the address of record, e.g. {@code alice}
 * @param domain      the domain, also the digest realm, e.g. {@code 127.0.0.1}
 * @param ha1         MD5(user:domain:password) as 32 lowercase hex digits
 * @param displayName the name to show; the user name when the file gives none
 * @param email       an e-mail address, or {@code null}
 * @param phone       a phone number, or {@code null}
 */
public record Account(String user, String domain, String ha1, String displayName, String email, String phone) {

    private static final Pattern HA1 = Pattern.compile("[0-9a-f]{32}");

    public Account {
        requireText(user, "user");
        requireText(domain, "domain");
        Objects.requireNonNull(ha1, "ha1");
        if (!HA1.matcher(ha1).matches()) {
            throw new IllegalArgumentException("ha1 of " + user + "@" + domain + " is not 32 lowercase hex digits");
        }
        if (displayName == null || displayName.isBlank()) {
            displayName = user;
        }
    }

    /** {@code user@domain}. */
    public String addressOfRecord() {
        return user + "@" + domain;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
