package io.sipgw.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.persistence.config.CacheIsolationType;
import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and migrates the schema with Flyway ({@code src/main/resources/db/migration}) before EclipseLink
 * logs in, so no component can reach the database before its tables are current, whichever uses JPA first.
 * Named in persistence.xml as {@code eclipselink.session.customizer}.
 * <p>
 * The same migrations serve Derby and PostgreSQL; the few types that differ are placeholders
 * ({@link #placeholders}). A database created by an earlier version (tables made by JPA, no Flyway history)
 * is baselined at version 1, the schema that version had, and migrated on from there. On PostgreSQL Flyway
 * holds an advisory lock while it migrates, so instances starting together apply each migration once.
 */
public class SchemaMigrations implements SessionCustomizer {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());
    static final String LOCATION = "classpath:db/migration";

    @Override
    public void customize(Session session) throws Exception {
        migrate(dataSource(session));
        if (ConfigProvider.getConfig(SchemaMigrations.class.getClassLoader())
                .getOptionalValue("sipgw.cluster.enabled", Boolean.class).orElse(false)) {
            isolate(session);
        }
    }

    /**
     * No shared (second-level) cache: in a cluster other members change the same rows (a message read through
     * one member, presence set through another), and a cache of this member would answer with the old state.
     * Every entity is then read from the database in each transaction.
     */
    static void isolate(Session session) {
        session.getProject().setDefaultCacheIsolation(CacheIsolationType.ISOLATED);
        session.getDescriptors().values().forEach(d -> d.setCacheIsolation(CacheIsolationType.ISOLATED));
        LOG.info("Cluster member: EclipseLink's shared cache is off for every entity");
    }

    /** Brings the schema of {@code dataSource} to the newest migration. */
    public static MigrateResult migrate(DataSource dataSource) throws SQLException {
        String product = productName(dataSource);
        Flyway flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .placeholders(placeholders(product))
                .baselineOnMigrate(true)
                .baselineVersion("1")
                .baselineDescription("schema created by JPA before migrations")
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info(() -> "Database schema at version " + (result.targetSchemaVersion != null
                ? result.targetSchemaVersion : flyway.info().current().getVersion())
                + " on " + product + " (" + result.migrationsExecuted + " migrations applied now)");
        return result;
    }

    /** The column types that differ between the supported databases, as EclipseLink maps them. */
    static Map<String, String> placeholders(String productName) {
        boolean derby = productName.toLowerCase(Locale.ROOT).contains("derby");
        return Map.of(
                "boolean", derby ? "SMALLINT" : "BOOLEAN",
                "false", derby ? "0" : "FALSE");
    }

    private static String productName(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        }
    }

    private static DataSource dataSource(Session session) throws NamingException {
        if (session.getDatasourceLogin() instanceof DatasourceLogin login
                && login.getConnector() instanceof JNDIConnector connector) {
            if (connector.getDataSource() != null) {
                return connector.getDataSource();
            }
            if (connector.getName() != null) {
                return (DataSource) new InitialContext().lookup(connector.getName());
            }
        }
        return (DataSource) new InitialContext().lookup("java:app/jdbc/sipgw");
    }
}
