package dev.spor.server;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * How one Spor instance runs, whichever way it was deployed. Immutable.
 *
 * @param configFile the sites configuration, or null for the built-in demo configuration
 * @param dataDir directory of the embedded database's files
 * @param dbUrl a {@code jdbc:postgresql:} URL, or null for the embedded database
 * @param dbUser database user, may be null
 * @param dbPassword database password, may be null; never logged
 * @param adminKey the admin API key, or null to generate one on first start
 */
public record SporSettings(Path configFile, Path dataDir, String dbUrl, String dbUser, String dbPassword,
        String adminKey) {

    public static final Path DEFAULT_DATA_DIR = Path.of("spor-data");

    /**
     * Settings from named values such as {@code config} or {@code db-url}, looked up by the
     * deployment: the launcher's options, or a servlet container's context parameters, system
     * properties and environment.
     */
    public static SporSettings from(UnaryOperator<String> lookup) {
        String config = blankToNull(lookup.apply("config"));
        String data = blankToNull(lookup.apply("data"));
        return new SporSettings(
                config == null ? null : Path.of(config),
                data == null ? DEFAULT_DATA_DIR : Path.of(data),
                blankToNull(lookup.apply("db-url")),
                blankToNull(lookup.apply("db-user")),
                blankToNull(lookup.apply("db-password")),
                blankToNull(lookup.apply("admin-key")));
    }

    /**
     * How a servlet container deployment finds a setting such as {@code db-url}: the init
     * parameter {@code spor.db-url}, else the system property of that name, else the
     * environment variable {@code SPOR_DB_URL}.
     */
    public static UnaryOperator<String> inContainer(UnaryOperator<String> initParameter) {
        return name -> {
            String value = initParameter.apply("spor." + name);
            if (value == null) {
                value = System.getProperty("spor." + name);
            }
            return value != null ? value : System.getenv(environmentName(name));
        };
    }

    /** The environment variable of a setting: {@code db-url} is {@code SPOR_DB_URL}. */
    public static String environmentName(String name) {
        return "SPOR_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return "SporSettings[config=" + (configFile == null ? "built-in demo" : configFile) + ", data=" + dataDir
                + ", db=" + (dbUrl == null ? "embedded" : dbUrl.replaceAll("(?i)(password=)[^&;]*", "$1****"))
                + ", adminKey=" + (adminKey == null ? "generated" : "****") + "]";
    }
}
