package io.sipgw.admin;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The data of GET /admin/calls (spec 7.2). */
@Schema(name = "AdminCallPage")
@JsonbPropertyOrder({"content", "totalElements", "totalPages", "currentPage", "pageSize"})
public record AdminCallPage(List<AdminCallRecord> content, long totalElements, int totalPages, int currentPage,
                            int pageSize) {
}
