package io.sipgw.auth;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies {@code mp.jwt.verify.publickey} to MicroProfile JWT from {@link TokenKeys}, so the verifier
 * always uses the public half of the key that signs. Stays silent when the deployer configured
 * {@code mp.jwt.verify.publickey.location} themselves (the two must not both be set).
 */
public class JwtPublicKeyConfigSource implements ConfigSource {

    static final String KEY = "mp.jwt.verify.publickey";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(KEY);
    }

    @Override
    public Map<String, String> getProperties() {
        String value = getValue(KEY);
        return value == null ? Map.of() : Map.of(KEY, value);
    }

    @Override
    public String getValue(String propertyName) {
        if (!KEY.equals(propertyName)) {
            return null;
        }
        boolean locationConfigured = ConfigProvider.getConfig(getClass().getClassLoader())
                .getOptionalValue(KEY + ".location", String.class).isPresent();
        return locationConfigured ? null : TokenKeys.get().publicKeyPem();
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    @Override
    public String getName() {
        return "sipgw-token-keys";
    }
}
