package io.sipgw.accounts;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads the accounts file: a UTF-8 properties file whose keys are {@code <user>@<domain>.<field>} with the
 * fields {@code ha1} (required), {@code displayName}, {@code email} and {@code phone}, for example
 * {@code alice@127.0.0.1.ha1=86a24005bec3a363f936d4e49eee2d51}. The key is split at its last dot, since
 * domains contain dots. Passwords never appear: HA1 = MD5(user:domain:password).
 */
public final class Accounts {

    private static final Set<String> FIELDS = Set.of("ha1", "displayName", "email", "phone");

    private Accounts() {
    }

    /**
     * The accounts in {@code file}, ordered by domain then user.
     *
     * @throws IllegalArgumentException naming the file and the key when the file is malformed
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static List<Account> load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read accounts file " + file, e);
        }
        try {
            return parse(properties);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed accounts file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Account> parse(Properties properties) {
        Map<String, Map<String, String>> fieldsByAor = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            int dot = key.lastIndexOf('.');
            String aor = dot < 0 ? "" : key.substring(0, dot);
            String field = key.substring(dot + 1);
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("key '" + key + "' does not end in one of " + FIELDS);
            }
            int at = aor.indexOf('@');
            if (at <= 0 || at == aor.length() - 1 || aor.indexOf('@', at + 1) >= 0) {
                throw new IllegalArgumentException("key '" + key + "' does not start with <user>@<domain>");
            }
            fieldsByAor.computeIfAbsent(aor, a -> new HashMap<>()).put(field, properties.getProperty(key).trim());
        }
        return fieldsByAor.entrySet().stream()
                .map(e -> account(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(Account::domain).thenComparing(Account::user))
                .toList();
    }

    private static Account account(String aor, Map<String, String> fields) {
        String ha1 = fields.get("ha1");
        if (ha1 == null) {
            throw new IllegalArgumentException(aor + " has no ha1");
        }
        int at = aor.indexOf('@');
        try {
            return new Account(aor.substring(0, at), aor.substring(at + 1), ha1.toLowerCase(Locale.ROOT),
                    fields.get("displayName"), emptyToNull(fields.get("email")), emptyToNull(fields.get("phone")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(aor + ": " + e.getMessage(), e);
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
