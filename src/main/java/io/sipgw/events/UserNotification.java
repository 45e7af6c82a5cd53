package io.sipgw.events;

/**
 * A CDI event that goes to one user's WebSockets as a frame {@code {type, timestamp, data}}. Capabilities
 * fire their past-tense events implementing this; {@link EventBroadcaster} delivers them after the
 * firing transaction commits.
 */
public interface UserNotification {

    /** The userId whose sockets get the frame. */
    String recipient();

    /** The frame's {@code type}, e.g. MESSAGE_RECEIVED. */
    String type();

    /** The frame's {@code data}: a record serialised with JSON-B. */
    Object data();
}
