package io.sipgw.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.sip.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("accounts.properties"), content);
    }

    @Test
    void accountsFileParsing() throws IOException {
        Path file = file("""
                # comment
                bob@sip.example.com.ha1=C0F35C37B8B1A769A0C93FC63B432BB3
                alice@127.0.0.1.ha1=86a24005bec3a363f936d4e49eee2d51
                alice@127.0.0.1.displayName=Alice Liddell
                alice@127.0.0.1.email=alice@example.com
                alice@127.0.0.1.phone=+1 555 0101
                """);

        List<Account> accounts = Accounts.load(file);

        assertEquals(List.of(
                new Account("alice", "127.0.0.1", "86a24005bec3a363f936d4e49eee2d51", "Alice Liddell",
                        "alice@example.com", "+1 555 0101"),
                new Account("bob", "sip.example.com", "c0f35c37b8b1a769a0c93fc63b432bb3", "bob", null, null)),
                accounts);
        assertEquals("bob@sip.example.com", accounts.get(1).addressOfRecord());
    }

    @Test
    void shippedDemoAccountsHaveThePasswordSecret123() {
        List<Account> accounts = Accounts.load(Path.of("server-config/accounts.properties"));

        assertEquals(List.of("admin", "alice", "bob", "carol", "dave"), accounts.stream().map(Account::user).toList());
        for (Account a : accounts) {
            assertEquals(Digest.ha1(a.user(), a.domain(), "secret123"), a.ha1());
            assertTrue(a.email().endsWith("@example.com"));
            assertEquals("127.0.0.1", a.domain());
        }
        assertEquals("Administrator", accounts.get(0).displayName());
    }

    @Test
    void unknownFieldIsMalformed() throws IOException {
        Path file = file("alice@127.0.0.1.password=secret123\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Accounts.load(file));
        assertTrue(e.getMessage().contains("alice@127.0.0.1.password"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void keyWithoutUserAtDomainIsMalformed() throws IOException {
        String ha1 = "86a24005bec3a363f936d4e49eee2d51";
        assertThrows(IllegalArgumentException.class, () -> Accounts.load(file("alice.ha1=" + ha1)));
        assertThrows(IllegalArgumentException.class, () -> Accounts.load(file("@127.0.0.1.ha1=" + ha1)));
        assertThrows(IllegalArgumentException.class, () -> Accounts.load(file("alice@.ha1=" + ha1)));
    }

    @Test
    void accountWithoutHa1IsMalformed() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Accounts.load(file("alice@127.0.0.1.displayName=Alice\n")));
        assertTrue(e.getMessage().contains("has no ha1"), e.getMessage());
    }

    @Test
    void ha1ThatIsNotAnMd5IsMalformed() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Accounts.load(file("alice@127.0.0.1.ha1=secret123\n")));
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(UncheckedIOException.class, () -> Accounts.load(dir.resolve("absent.properties")));
    }

    @Test
    void emptyOptionalFieldsAreAbsent() throws IOException {
        Account account = Accounts.load(file("""
                alice@127.0.0.1.ha1=86a24005bec3a363f936d4e49eee2d51
                alice@127.0.0.1.email=
                """)).get(0);
        assertNull(account.email());
        assertEquals("alice", account.displayName());
    }
}
