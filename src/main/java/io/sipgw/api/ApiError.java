package io.sipgw.api;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The {@code error} object of the envelope: code, message and optional per-field details. */
@JsonbPropertyOrder({"code", "message", "details"})
public record ApiError(@Schema(required = true) String code, @Schema(required = true) String message,
                       @Schema(description = "what is wrong with each field at fault") Map<String, String> details) {
}
