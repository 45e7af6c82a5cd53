package io.sipgw.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small REST client for the gateway under test: real HTTP on loopback, JSON bodies. */
public final class Api {

    private final HttpClient http;
    private final String base;

    public Api(String base) {
        this(base, HttpClient.Version.HTTP_2);
    }

    public Api(String base, HttpClient.Version version) {
        this(base, HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build());
    }

    private Api(String base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /**
     * A client that keeps the cookies it is given, as a browser does (one per user): what an API client
     * behind the load balancer must do so that the member cookie routes its requests. Its event sockets
     * ({@link EventSocket#open}) send them too.
     */
    public static Api withCookies(String base) {
        return new Api(base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build());
    }

    /** The HTTP client, whose cookie handler (if any) the event sockets opened with this API share. */
    HttpClient client() {
        return http;
    }

    /** The value of a cookie this client holds for its base URL, or null. */
    public String cookie(String name) {
        return http.cookieHandler().map(h -> ((CookieManager) h).getCookieStore().get(URI.create(base)).stream()
                .filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst().orElse(null)).orElse(null);
    }

    /**
     * The HTTP version the benchmark clients speak: HTTP/2 (h2c upgrade, Java's default) unless
     * {@code BENCH_HTTP=1.1} asks for HTTP/1.1, as a browser speaks over plain http.
     */
    public static HttpClient.Version benchHttpVersion() {
        return "1.1".equals(System.getenv("BENCH_HTTP")) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
    }

    /** The gateway started by Arquillian on the port Failsafe reserved. */
    public static Api forTestServer() {
        return new Api("http://127.0.0.1:" + System.getProperty("it.http.port"));
    }

    public String base() {
        return base;
    }

    public Result get(String path, String token) {
        return send("GET", path, null, token, "application/json");
    }

    public Result post(String path, String json, String token) {
        return send("POST", path, json, token, "application/json");
    }

    public Result put(String path, String json, String token) {
        return send("PUT", path, json, token, "application/json");
    }

    public Result delete(String path, String token) {
        return send("DELETE", path, null, token, "application/json");
    }

    public Result send(String method, String path, String body, String token, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Result(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    response.headers());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Logs in with the demo password and returns the token. */
    public String login(String sipUri) {
        Result r = post("/api/auth/login", "{\"sipUri\":\"" + sipUri + "\",\"password\":\"secret123\"}", null);
        if (r.status() != 200) {
            throw new IllegalStateException("login of " + sipUri + " failed: " + r);
        }
        return r.data().getString("token");
    }

    /**
     * The value of one of the gateway's unlabelled gauges, e.g. {@code sipgw_calls_live}, read from
     * {@code /metrics} (Prometheus text).
     */
    public double gauge(String name) {
        HttpResponse<String> metrics;
        try {
            metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics?scope=application"))
                    .timeout(Duration.ofSeconds(30)).header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET /metrics failed", e);
        }
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("/metrics answered " + metrics.statusCode() + ": " + metrics.body());
        }
        return metrics.body().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not in /metrics: " + metrics.body()));
    }

    /**
     * The gauges, read again every half second until all are 0 or {@code within} has passed: their last
     * values, by name. For state that must go once the work is over but may take a while (SIP dialogs end
     * with their last transaction).
     */
    public Map<String, Double> gaugesSettled(Duration within, String... names) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Double> values = new LinkedHashMap<>();
        while (true) {
            for (String name : names) {
                values.put(name, gauge(name));
            }
            if (values.values().stream().allMatch(v -> v == 0) || System.nanoTime() >= deadline) {
                return values;
            }
            Thread.sleep(500);
        }
    }

    /** An HTTP answer with its body parsed as JSON where possible. */
    public record Result(int status, String contentType, String body, HttpHeaders headers) {

        /** The first value of a response header, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON object (" + status + "): " + body, e);
            }
        }

        public JsonObject data() {
            return json().getJsonObject("data");
        }

        public String errorCode() {
            JsonValue error = json().get("error");
            return error == null || error.getValueType() != JsonValue.ValueType.OBJECT ? null
                    : error.asJsonObject().getString("code", null);
        }
    }
}
