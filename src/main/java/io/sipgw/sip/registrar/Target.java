package io.sipgw.sip.registrar;

import javax.sip.address.URI;

/** Where a request that is not a REGISTER goes, as {@link TargetResolver} decides (RFC 3261 section 16.5). */
sealed interface Target {

    /** Forward it with this Request-URI (a registered contact, or the remote target of a dialog). */
    record Forward(URI requestUri) implements Target {
    }

    /** It is addressed to this server itself, not to a user. */
    record Server() implements Target {
    }

    /** Answer it with this final response. */
    record Reject(int status, String reason) implements Target {
    }
}
