package io.sipgw.events;

import jakarta.json.JsonObject;

/**
 * A client frame for a capability (e.g. ICE_CANDIDATE), fired synchronously by the socket; an observer
 * that rejects it throws an ApiException, which the socket answers with an ERROR frame.
 */
public record ClientFrameReceived(String userId, String type, JsonObject data) {
}
