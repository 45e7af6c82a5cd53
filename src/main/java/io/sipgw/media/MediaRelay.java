package io.sipgw.media;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The media relay in force, from MicroProfile Config: {@code sipgw.media.relay} ({@code none} or
 * {@code rtpengine}), {@code sipgw.media.rtpengine.ng} (host:port of rtpengine's ng socket),
 * {@code sipgw.media.rtpengine.timeout-ms}, {@code sipgw.media.rtpengine.retries} and
 * {@code sipgw.media.rtpengine.trickle}. A bad setting fails
 * with a message naming it when the bean is first used.
 */
@ApplicationScoped
public class MediaRelay {

    @Inject
    @ConfigProperty(name = "sipgw.media.relay", defaultValue = "none")
    String relay;

    @Inject
    @ConfigProperty(name = "sipgw.media.rtpengine.ng", defaultValue = "127.0.0.1:22222")
    String ng;

    @Inject
    @ConfigProperty(name = "sipgw.media.rtpengine.timeout-ms", defaultValue = "1000")
    long timeoutMs;

    @Inject
    @ConfigProperty(name = "sipgw.media.rtpengine.retries", defaultValue = "2")
    int retries;

    @Inject
    @ConfigProperty(name = "sipgw.media.rtpengine.trickle", defaultValue = "false")
    boolean trickle;

    private RelaySettings settings;
    private NgClient rtpengine;

    @PostConstruct
    void init() {
        settings = RelaySettings.of(relay, ng, timeoutMs, retries);
        if (settings.kind() == RelaySettings.Kind.RTPENGINE) {
            rtpengine = new NgClient(settings.ng(), settings.timeout(), settings.retries());
        }
    }

    public RelaySettings settings() {
        return settings;
    }

    /**
     * Whether the browser's trickled candidates of anchored calls go to rtpengine as trickle ICE fragments
     * ({@code sipgw.media.rtpengine.trickle}, off by default: rtpengine 10.5.3.5 then sent the browser no media).
     */
    public boolean trickle() {
        return trickle && rtpengine != null;
    }

    /** The rtpengine client when {@code sipgw.media.relay=rtpengine}, else empty (media flows end to end). */
    public Optional<NgClient> rtpengine() {
        return Optional.ofNullable(rtpengine);
    }
}
