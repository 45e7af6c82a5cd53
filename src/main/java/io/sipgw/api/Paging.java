package io.sipgw.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Page and size query parameters, parsed by hand so that a bad value is a 400 with details (JAX-RS would
 * answer an unparsable number with 404).
 */
public record Paging(int page, int size) {

    public static final int MAX_PAGE = 1_000_000;

    public static Paging parse(String page, String size, int defaultSize, int maxSize) {
        Map<String, String> problems = new LinkedHashMap<>();
        int p = number(page, 0, 0, MAX_PAGE, "page", problems);
        int s = number(size, defaultSize, 1, maxSize, "size", problems);
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.INVALID_PAGING.text(), problems);
        }
        return new Paging(p, s);
    }

    public int offset() {
        return page * size;
    }

    /** Number of pages for {@code total} elements (0 when there are none). */
    public int totalPages(long total) {
        return (int) ((total + size - 1) / size);
    }

    private static int number(String text, int fallback, int min, int max, String name, Map<String, String> problems) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.put(name, "must be an integer from " + min + " to " + max);
        return fallback;
    }
}
