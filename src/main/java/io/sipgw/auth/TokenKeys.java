package io.sipgw.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The RS256 key pair that signs and verifies tokens. Loaded from the PEM files named by
 * {@code sipgw.jwt.private-key.location} and {@code sipgw.jwt.public-key.location}, or generated once
 * into {@code ${sipgw.data.dir}/keys} (private key readable by its owner only) when neither is set, so
 * no signing key ever ships in the WAR. A cluster member ({@code sipgw.cluster.enabled}) refuses to generate
 * one: every member must sign and verify with the same pair. Held statically because MicroProfile JWT asks for the public key
 * through a config source, outside CDI.
 */
public final class TokenKeys {

    private static final Logger LOG = Logger.getLogger(TokenKeys.class.getName());
    private static volatile TokenKeys instance;

    private final RSAPrivateKey privateKey;
    private final RSAPublicKey publicKey;

    private TokenKeys(RSAPrivateKey privateKey, RSAPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static TokenKeys get() {
        TokenKeys keys = instance;
        if (keys == null) {
            synchronized (TokenKeys.class) {
                keys = instance;
                if (keys == null) {
                    keys = load(ConfigProvider.getConfig(TokenKeys.class.getClassLoader()));
                    instance = keys;
                }
            }
        }
        return keys;
    }

    public RSAPrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    private static TokenKeys load(Config config) {
        String privateLocation = config.getOptionalValue("sipgw.jwt.private-key.location", String.class).orElse("").trim();
        String publicLocation = config.getOptionalValue("sipgw.jwt.public-key.location", String.class).orElse("").trim();
        try {
            if (!privateLocation.isEmpty() || !publicLocation.isEmpty()) {
                if (privateLocation.isEmpty() || publicLocation.isEmpty()) {
                    throw new IllegalStateException(
                            "Set both sipgw.jwt.private-key.location and sipgw.jwt.public-key.location, or neither");
                }
                return read(path(privateLocation), path(publicLocation));
            }
            if (config.getOptionalValue("sipgw.cluster.enabled", Boolean.class).orElse(false)) {
                throw new IllegalStateException("A cluster member needs the cluster's one token key pair: set "
                        + "sipgw.jwt.private-key.location and sipgw.jwt.public-key.location to the same files on every member");
            }
            Path dir = Path.of(config.getOptionalValue("sipgw.data.dir", String.class).orElse("data"), "keys");
            Path privateFile = dir.resolve("jwt-private.pem");
            Path publicFile = dir.resolve("jwt-public.pem");
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                return read(privateFile, publicFile);
            }
            return generate(dir, privateFile, publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the token signing keys", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the token signing keys", e);
        }
    }

    private static Path path(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    private static TokenKeys read(Path privateFile, Path publicFile) throws IOException, GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        var privateKey = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(privateFile))));
        var publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der(Files.readString(publicFile))));
        return new TokenKeys(privateKey, publicKey);
    }

    private static TokenKeys generate(Path dir, Path privateFile, Path publicFile) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "jwt-private", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.warning("Cannot restrict the permissions of the token signing key on this file system");
        }
        Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.move(tmp, privateFile);
        Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        LOG.info(() -> "Generated a token signing key pair in " + dir.toAbsolutePath());
        return new TokenKeys((RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    }

    private static byte[] der(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
