package io.sipgw.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyLimitsTest {

    private static boolean tooDeep(String json, int max) {
        return RequestBodyLimits.nestedDeeperThan(json.getBytes(StandardCharsets.UTF_8), max);
    }

    @Test
    void nestingUpToTheLimitPasses() {
        assertFalse(tooDeep("{\"a\":{\"b\":[1,2,{\"c\":3}]}}", 4));
        assertFalse(tooDeep("[".repeat(32) + "]".repeat(32), 32));
    }

    @Test
    void nestingBeyondTheLimitIsFoundWithoutReadingTheRest() {
        assertTrue(tooDeep("{\"a\":{\"b\":[1,2,{\"c\":3}]}}", 3));
        assertTrue(tooDeep("[".repeat(10_000), 32), "found before any closing bracket");
    }

    @Test
    void bracketsInsideStringsDoNotCount() {
        assertFalse(tooDeep("{\"s\":\"[[[[{{{{\\\"[[[[\"}", 1));
    }

    @Test
    void siblingsDoNotAddUp() {
        assertFalse(tooDeep("[" + "{},".repeat(1000) + "{}]", 2));
    }

    @Test
    void textIsScannedLikeBytes() {
        assertTrue(RequestBodyLimits.nestedDeeperThan("{\"type\":\"PING\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}", 32));
        assertFalse(RequestBodyLimits.nestedDeeperThan("{\"type\":\"PING\",\"x\":\"[[[[\"}", 1));
    }
}
