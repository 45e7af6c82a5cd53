package io.sipgw.admin;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/** The data of GET /admin/calls (spec 7.2). */
@JsonbPropertyOrder({"content", "totalElements", "totalPages", "currentPage", "pageSize"})
public record AdminCallPage(List<AdminCallRecord> content, long totalElements, int totalPages, int currentPage,
                            int pageSize) {
}
