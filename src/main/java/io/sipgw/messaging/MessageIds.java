package io.sipgw.messaging;

import io.sipgw.cluster.Cluster;
import io.sipgw.jpa.TimeOrderedIds;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.logging.Logger;

/**
 * Gives the message ids ({@link TimeOrderedIds}) a node of this member's own when it is a cluster member,
 * before the other start-up observers (the SIP side, the Outbox) can store a message: without it two members
 * storing a message in the same millisecond made the same primary key and one store failed. One instance
 * alone keeps node 0.
 */
@ApplicationScoped
public class MessageIds {

    private static final Logger LOG = Logger.getLogger(MessageIds.class.getName());
    /** The shared map of the members' nodes (node -> member id). */
    static final String NODES = "sipgw.message-id-nodes";

    @Inject
    Cluster cluster;

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object started) {
        if (!cluster.enabled()) {
            return;
        }
        int node = cluster.claimNumber(NODES, 1, TimeOrderedIds.MAX_NODE);
        TimeOrderedIds.useNode(node);
        LOG.info(() -> "Message ids of this member use node " + node);
    }
}
