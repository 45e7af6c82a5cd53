package io.sipgw.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client of /ws/events: collects the frames it receives and waits for the ones a test expects. */
public final class EventSocket implements AutoCloseable {

    /** How a socket was closed by the server. */
    public record Closed(int code, String reason) {
    }

    private final BlockingDeque<JsonObject> frames = new LinkedBlockingDeque<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private EventSocket(String url) {
        this(HttpClient.newHttpClient(), url);
    }

    private EventSocket(HttpClient client, String url) {
        this.socket = client.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new Listener())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /**
     * A socket with a good token, once the server has taken it: the server adds a socket to its user's in
     * {@code @OnOpen}, which can still be running when the client's handshake is complete, and an event
     * fired before that does not reach the socket. A PONG comes only after {@code @OnOpen}, so this waits
     * for one; frames that came before it stay in order for {@link #await}.
     */
    public static EventSocket open(Api api, String token) {
        // the API's cookies (Api.withCookies) go with the handshake, as a browser's do
        EventSocket socket = api.client().cookieHandler().isPresent()
                ? new EventSocket(api.client(), api.base().replaceFirst("^http", "ws") + "/ws/events?token=" + token)
                : new EventSocket(api.base().replaceFirst("^http", "ws") + "/ws/events?token=" + token);
        socket.awaitTakenByServer();
        return socket;
    }

    private void awaitTakenByServer() {
        send("{\"type\":\"PING\"}");
        List<JsonObject> earlier = new ArrayList<>();
        await("PONG", f -> true, Duration.ofSeconds(10), earlier);
        for (int i = earlier.size() - 1; i >= 0; i--) {
            frames.offerFirst(earlier.get(i));
        }
    }

    /** A socket as the handshake left it, for tokens the server refuses: nothing is awaited. */
    public static EventSocket openRaw(Api api, String query) {
        return new EventSocket(api.base().replaceFirst("^http", "ws") + "/ws/events" + query);
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The next frame of this type that matches, skipping others; fails after the timeout. */
    public JsonObject await(String type, Predicate<JsonObject> matching, Duration timeout) {
        return await(type, matching, timeout, new ArrayList<>());
    }

    /** Every frame up to and with the next one of this type that matches; fails after the timeout. */
    public List<JsonObject> framesUntil(String type, Predicate<JsonObject> matching, Duration timeout) {
        List<JsonObject> frames = new ArrayList<>();
        frames.add(await(type, matching, timeout, frames));
        return frames;
    }

    /** As {@link #await(String, Predicate, Duration)}, adding the frames it skips to {@code skipped}. */
    private JsonObject await(String type, Predicate<JsonObject> matching, Duration timeout, List<JsonObject> skipped) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no " + type + " frame within " + timeout + "; saw " + skipped
                            + (closed.isDone() ? "; closed: " + closed.join() : ""));
                }
                if (type.equals(frame.getString("type", null)) && matching.test(frame)) {
                    return frame;
                }
                skipped.add(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public JsonObject await(String type, Duration timeout) {
        return await(type, f -> true, timeout);
    }

    /** The next frame not yet consumed, of any type, or null when none comes within the timeout. */
    public JsonObject next(Duration timeout) {
        try {
            return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every frame received so far and not yet consumed by {@link #await}. */
    public List<JsonObject> drain() {
        List<JsonObject> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    public Closed awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try (var reader = Json.createReader(new StringReader(partial.toString()))) {
                    frames.add(reader.readObject());
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }
}
