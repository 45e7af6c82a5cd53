package io.sipgw.users;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The data of GET /users (spec 2.1). */
@Schema(name = "UserPage")
@JsonbPropertyOrder({"content", "totalElements", "totalPages", "currentPage", "pageSize"})
public record UserPage(List<UserSummary> content, long totalElements, int totalPages, int currentPage, int pageSize) {
}
