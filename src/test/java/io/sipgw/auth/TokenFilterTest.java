package io.sipgw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sipgw.config.SipConfigResource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which resource methods need a caller, and in which role. */
class TokenFilterTest {

    private static TokenFilter.Access access(Class<?> resource, String method) {
        return TokenFilter.Access.of(Arrays.stream(resource.getMethods()).filter(m -> m.getName().equals(method))
                .findFirst().orElseThrow(), resource);
    }

    @Test
    void loginIsPublicAndTheRestOfAuthNeedsAUser() {
        assertEquals(new TokenFilter.Access(true, Set.of()), access(AuthResource.class, "login"));
        assertEquals(new TokenFilter.Access(false, Set.of("user")), access(AuthResource.class, "profile"));
    }

    @Test
    void aMethodsRolesWinOverItsClasss() {
        assertEquals(new TokenFilter.Access(false, Set.of("admin")), access(SipConfigResource.class, "update"));
    }

    @PermitAll
    static class Open {
        public void anyone() {
        }

        @RolesAllowed("admin")
        public void admins() {
        }
    }

    static class Plain {
        public void any() {
        }
    }

    /** What a container's proxy looks like: a subclass without the annotations. */
    static class OpenProxy extends Open {
    }

    @Test
    void classLevelPermitAllYieldsToAMethodsRoles() {
        assertEquals(new TokenFilter.Access(true, Set.of()), access(Open.class, "anyone"));
        assertEquals(new TokenFilter.Access(false, Set.of("admin")), access(Open.class, "admins"));
        assertEquals(new TokenFilter.Access(true, Set.of()), access(OpenProxy.class, "anyone"));
    }

    @Test
    void aMethodWithoutAnnotationsNeedsAnyVerifiedCaller() {
        assertEquals(new TokenFilter.Access(false, Set.of()), access(Plain.class, "any"));
    }
}
