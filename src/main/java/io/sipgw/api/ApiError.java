package io.sipgw.api;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.Map;

/** The {@code error} object of the envelope: code, message and optional per-field details. */
@JsonbPropertyOrder({"code", "message", "details"})
public record ApiError(String code, String message, Map<String, String> details) {
}
