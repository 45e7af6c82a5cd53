package io.sipgw.events;

/**
 * A CDI event that goes to the WebSockets of every connected user except one, as a frame
 * {@code {type, timestamp, data}}. Capabilities fire their past-tense events implementing this;
 * {@link EventBroadcaster} delivers them after the firing transaction commits.
 */
public interface Broadcast {

    /** The frame's {@code type}, e.g. USER_STATUS_CHANGED. */
    String type();

    /** The frame's {@code data}: a record serialised with JSON-B. */
    Object data();

    /** The userId whose sockets do not get the frame (usually the user it is about); null for none. */
    String except();
}
