package io.sipgw.jpa;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The gateway's database, chosen by configuration: the class that web.xml's {@code java:app/jdbc/sipgw}
 * data source names, so Payara's pool (and JTA) sits in front of it.
 * <ul>
 *   <li>{@code sipgw.db.url} empty (the default): embedded Derby in the folder {@code sipgw.db.name},
 *       created on first use.</li>
 *   <li>{@code sipgw.db.url} set (e.g. {@code jdbc:postgresql://db:5432/sipgw}): the JDBC driver in the WAR
 *       that accepts the URL, with {@code sipgw.db.user} and {@code sipgw.db.password}.</li>
 * </ul>
 * It reads the application's own MicroProfile Config (its defaults file included), which web.xml's
 * {@code ${MPCONFIG=...}} expressions cannot: the container resolves those before the application's
 * config exists. The password is read when a connection is opened and never logged or kept in the pool's
 * properties.
 */
public class ConfiguredDataSource implements DataSource {

    private static final Logger LOG = Logger.getLogger(ConfiguredDataSource.class.getName());

    private volatile DataSource target;
    private volatile int loginTimeoutSeconds;
    private volatile PrintWriter logWriter;

    private DataSource target() throws SQLException {
        DataSource t = target;
        if (t == null) {
            synchronized (this) {
                t = target;
                if (t == null) {
                    t = create(ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader()));
                    target = t;
                }
            }
        }
        return t;
    }

    private static DataSource create(Config config) throws SQLException {
        String url = config.getOptionalValue("sipgw.db.url", String.class).map(String::trim).orElse("");
        if (url.isEmpty()) {
            String name = config.getValue("sipgw.db.name", String.class);
            EmbeddedDataSource derby = new EmbeddedDataSource();
            derby.setDatabaseName(name);
            derby.setCreateDatabase("create");
            LOG.info(() -> "Database: embedded Derby in " + name);
            return derby;
        }
        Driver driver = driverFor(url);
        LOG.info(() -> "Database: " + withoutParameters(url));
        return new DriverDataSource(driver, url, config);
    }

    private static Driver driverFor(String url) throws SQLException {
        for (Driver driver : ServiceLoader.load(Driver.class, ConfiguredDataSource.class.getClassLoader())) {
            if (driver.acceptsURL(url)) {
                return driver;
            }
        }
        throw new SQLException("No JDBC driver in the application accepts sipgw.db.url " + withoutParameters(url));
    }

    /** The URL up to its parameters, which may hold credentials. */
    static String withoutParameters(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int i = url.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return url.substring(0, cut);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    /** Connections from a JDBC driver and a URL, with the configured credentials. */
    private static final class DriverDataSource implements DataSource {

        private final Driver driver;
        private final String url;
        private final Config config;

        DriverDataSource(Driver driver, String url, Config config) {
            this.driver = driver;
            this.url = url;
            this.config = config;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return getConnection(config.getOptionalValue("sipgw.db.user", String.class).orElse(null),
                    config.getOptionalValue("sipgw.db.password", String.class).orElse(null));
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Properties properties = new Properties();
            Optional.ofNullable(username).filter(u -> !u.isBlank()).ifPresent(u -> properties.setProperty("user", u));
            Optional.ofNullable(password).filter(p -> !p.isEmpty()).ifPresent(p -> properties.setProperty("password", p));
            Connection connection = driver.connect(url, properties);
            if (connection == null) {
                throw new SQLException("The JDBC driver refused sipgw.db.url " + withoutParameters(url));
            }
            return connection;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("Not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
