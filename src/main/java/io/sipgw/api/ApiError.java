package io.sipgw.api;

import java.util.Map;

/** The {@code error} object of the envelope: code, message and optional per-field details. */
public record ApiError(String code, String message, Map<String, String> details) {
}
