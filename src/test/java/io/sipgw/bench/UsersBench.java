package io.sipgw.bench;

import io.sipgw.testing.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logged-in users benchmark (not part of the test run; bench/heap.sh drives it): logs in N bench users
 * (b1..bN, each a SIP registration at the embedded server) with an open event socket each, says
 * {@code logged-in=N} and holds them until the file {@code goFile} exists, then logs every user out, closes
 * the sockets and says {@code logged-out=N}. bench/heap.sh reads the server's heap after a full GC while the
 * users are held, to give the heap each logged-in user costs.
 *
 * <p>Arguments: baseUrl sipDomainWithPort users goFile
 */
public final class UsersBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String server = args[1];
        int users = Integer.parseInt(args[2]);
        Path go = Path.of(args[3]);
        Api api = new Api(base, HttpClient.Version.HTTP_1_1);
        // one client, one selector thread, for every socket (a client per socket would be a thread each)
        HttpClient sockets = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        List<WebSocket> open = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger framesIn = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        List<Future<?>> logins = new ArrayList<>();
        for (int i = 1; i <= users; i++) {
            String uri = "sip:b" + i + "@" + server;
            logins.add(pool.submit(() -> {
                String token = api.login(uri);
                tokens.add(token);
                open.add(sockets.newWebSocketBuilder()
                        .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws/events?token=" + token), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                framesIn.incrementAndGet();
                                webSocket.request(1);
                                return null;
                            }
                        })
                        .orTimeout(30, TimeUnit.SECONDS)
                        .join());
                return null;
            }));
        }
        for (Future<?> login : logins) {
            login.get();
        }
        System.out.printf("logged-in=%d sockets=%d in %.1f s%n", tokens.size(), open.size(), (System.nanoTime() - start) / 1e9);
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.sleep(200);
        }
        List<Future<?>> logouts = new ArrayList<>();
        for (String token : tokens) {
            logouts.add(pool.submit(() -> api.post("/api/auth/logout", "{}", token)));
        }
        for (Future<?> logout : logouts) {
            logout.get();
        }
        open.forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        pool.shutdown();
        System.out.printf("logged-out=%d frames-received=%d%n", tokens.size(), framesIn.get());
    }

    private UsersBench() {
    }
}
