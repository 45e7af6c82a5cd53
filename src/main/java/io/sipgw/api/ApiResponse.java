package io.sipgw.api;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The JSON envelope of every REST answer (spec section 8 and the appendix's {@code ApiResponse<T>}).
 * Null members are left out of the JSON.
 */
@JsonbPropertyOrder({"success", "data", "error", "message", "timestamp"})
public record ApiResponse<T>(boolean success, T data, ApiError error, String message, Instant timestamp) {

    public static <T> ApiResponse<T> ok(T data) {
        return new ApiResponse<>(true, data, null, null, now());
    }

    public static <T> ApiResponse<T> ok(T data, String message) {
        return new ApiResponse<>(true, data, null, message, now());
    }

    public static ApiResponse<Void> okMessage(String message) {
        return new ApiResponse<>(true, null, null, message, now());
    }

    public static ApiResponse<Void> failure(ErrorCode code, String message, Map<String, String> details) {
        var error = new ApiError(code.name(), message == null ? code.defaultMessage() : message,
                details == null || details.isEmpty() ? null : details);
        return new ApiResponse<>(false, null, error, null, now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
