package io.sipgw.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * The migrations on embedded Derby: V1 builds exactly the schema that JPA's schema generation made before
 * migrations existed (src/test/resources/db/jpa-created-schema-derby.sql, read from such a database), a
 * database of that time is baselined, keeps its rows and gets the later migrations, ending with the same
 * schema as a fresh database.
 */
class SchemaMigrationsTest {

    private static final Path DATABASES = Path.of("target", "schema-migrations-test");
    /** The number of migrations in src/main/resources/db/migration. */
    private static final int MIGRATIONS = 2;

    @Test
    void firstMigrationBuildsTheSchemaJpaUsedToCreate() throws Exception {
        EmbeddedDataSource migrated = derby("v1");
        EmbeddedDataSource jpaMade = derby("jpa-made-reference");
        runScript(jpaMade, "/db/jpa-created-schema-derby.sql");

        MigrateResult result = Flyway.configure(SchemaMigrations.class.getClassLoader()).dataSource(migrated)
                .locations(SchemaMigrations.LOCATION).placeholders(SchemaMigrations.placeholders("Apache Derby"))
                .target("1").load().migrate();

        assertEquals(1, result.migrationsExecuted);
        assertEquals(describe(jpaMade), describe(migrated));
    }

    @Test
    void freshDatabaseGetsEveryMigration() throws Exception {
        MigrateResult result = SchemaMigrations.migrate(derby("fresh"));

        assertEquals(MIGRATIONS, result.migrationsExecuted);
        assertEquals(MIGRATIONS + "", result.targetSchemaVersion);
    }

    @Test
    void databaseCreatedByJpaIsBaselinedAndKeepsItsRows() throws Exception {
        EmbeddedDataSource old = derby("jpa-made");
        runScript(old, "/db/jpa-created-schema-derby.sql");
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO SIPGW_USER (USERID, SIPURI, STATUS, VERSION) "
                    + "VALUES ('alice@127.0.0.1', 'sip:alice@127.0.0.1', 'OFFLINE', 1)");
        }
        EmbeddedDataSource fresh = derby("fresh-reference");
        SchemaMigrations.migrate(fresh);

        MigrateResult first = SchemaMigrations.migrate(old);
        MigrateResult again = SchemaMigrations.migrate(old);

        assertEquals(MIGRATIONS - 1, first.migrationsExecuted); // baseline 1, then the later ones
        assertEquals(0, again.migrationsExecuted);
        assertEquals(describe(fresh), describe(old));
        try (Connection c = old.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM SIPGW_USER")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    private static EmbeddedDataSource derby(String name) throws IOException {
        Path folder = DATABASES.resolve(name);
        if (Files.exists(folder)) {
            try (var files = Files.walk(folder)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(DATABASES);
        System.setProperty("derby.stream.error.file", DATABASES.resolve("derby.log").toString());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(folder.toString());
        ds.setCreateDatabase("create");
        return ds;
    }

    private static void runScript(EmbeddedDataSource ds, String resource) throws Exception {
        String script;
        try (var in = SchemaMigrationsTest.class.getResourceAsStream(resource)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String line : script.split("\n")) {
                if (!line.isBlank() && !line.startsWith("--")) {
                    s.execute(line.strip().replaceAll(";$", ""));
                }
            }
        }
    }

    /** Tables, columns (type, size, nullability, default), keys, unique constraints and indexes, sorted. */
    private static List<String> describe(EmbeddedDataSource ds) throws SQLException {
        TreeSet<String> facts = new TreeSet<>();
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, "APP", "SIPGW%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = meta.getColumns(null, "APP", table, null)) {
                    while (rs.next()) {
                        facts.add(table + " column " + rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME")
                                + "(" + rs.getInt("COLUMN_SIZE") + ") nullable=" + rs.getString("IS_NULLABLE")
                                + " default=" + rs.getString("COLUMN_DEF"));
                    }
                }
                try (ResultSet rs = meta.getPrimaryKeys(null, "APP", table)) {
                    while (rs.next()) {
                        facts.add(table + " primary key " + rs.getString("COLUMN_NAME") + " #" + rs.getShort("KEY_SEQ"));
                    }
                }
                try (ResultSet rs = meta.getIndexInfo(null, "APP", table, false, false)) {
                    while (rs.next()) {
                        String index = rs.getString("INDEX_NAME");
                        facts.add(table + " index " + (index.startsWith("SQL") ? "(generated)" : index)
                                + " unique=" + !rs.getBoolean("NON_UNIQUE") + " " + rs.getShort("ORDINAL_POSITION")
                                + ":" + rs.getString("COLUMN_NAME"));
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT t.TABLENAME, k.CONSTRAINTNAME, k.TYPE FROM SYS.SYSCONSTRAINTS k"
                            + " JOIN SYS.SYSTABLES t ON k.TABLEID = t.TABLEID WHERE t.TABLENAME LIKE 'SIPGW%'")) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    facts.add(rs.getString(1) + " constraint " + rs.getString(3) + " "
                            + (name.startsWith("SQL") ? "(generated)" : name));
                }
            }
        }
        return new ArrayList<>(facts);
    }
}
