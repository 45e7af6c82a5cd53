package io.sipgw.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sipgw.testing.ResourceClasses;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

class ApiDocumentTest {

    @Test
    void everyResourceClassIsInTheDocument() {
        Comparator<Class<?>> byName = Comparator.comparing(Class::getName);
        assertEquals(ResourceClasses.all().stream().sorted(byName).toList(),
                ApiDocument.RESOURCES.stream().sorted(byName).toList(),
                "a new JAX-RS resource must be added to ApiDocument.RESOURCES");
    }

    @Test
    void pathsAreJoinedWithSingleSlashes() {
        assertEquals("/api/users/{userId}", ApiDocument.join("api", "users", "{userId}"));
        assertEquals("/api/messages", ApiDocument.join("/api/", "/messages", ""));
    }
}
