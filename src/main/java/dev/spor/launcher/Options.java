package dev.spor.launcher;

import dev.spor.server.SporSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Command-line options of the standalone server; each also reads from its environment
 * variable ({@code --db-url} from {@code SPOR_DB_URL}), the command line winning.
 *
 * @param port TCP port, 0 for any free one
 * @param settings everything else Spor needs
 * @param debug show stack traces
 */
record Options(int port, SporSettings settings, boolean debug) {
    static final int DEFAULT_PORT = 8080;
    static final List<String> VALUED = List.of("port", "config", "data", "db-url", "db-user", "db-password");
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar spor.war [options]",
            "  --port N            HTTP port (default 8080; 0 picks a free one)        SPOR_PORT",
            "  --config FILE       sites configuration (default: built-in demo)        SPOR_CONFIG",
            "  --data DIR          embedded database directory (default ./spor-data)   SPOR_DATA",
            "  --db-url URL        jdbc:postgresql://... to use PostgreSQL             SPOR_DB_URL",
            "  --db-user USER      PostgreSQL user                                     SPOR_DB_USER",
            "  --db-password PW    PostgreSQL password                                 SPOR_DB_PASSWORD",
            "  --debug             show stack traces                                   SPOR_DEBUG",
            "  --help              show this help",
            "  the admin API key comes from SPOR_ADMIN_KEY; without it one is generated on first start");

    /** Thrown for a command line that cannot be used; the message is one line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Asked for {@code --help}. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super("help");
        }
    }

    static Options parse(String[] args, Map<String, String> env) throws UsageException, HelpRequested {
        Map<String, String> given = new HashMap<>();
        boolean debug = "true".equalsIgnoreCase(env.get("SPOR_DEBUG")) || "1".equals(env.get("SPOR_DEBUG"));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            } else if (arg.equals("--debug")) {
                debug = true;
            } else if (arg.startsWith("--") && VALUED.contains(name(arg))) {
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException("option " + arg + " needs a value");
                }
                given.put(name(arg), value);
            } else {
                throw new UsageException("unknown option " + arg + " (see --help)");
            }
        }
        UnaryOperator<String> lookup = name -> given.getOrDefault(name, env.get(SporSettings.environmentName(name)));
        SporSettings settings = SporSettings.from(name -> name.equals("admin-key") ? env.get("SPOR_ADMIN_KEY") : lookup.apply(name));
        return new Options(port(lookup.apply("port")), settings, debug);
    }

    private static String name(String arg) {
        String name = arg.substring(2);
        int equals = name.indexOf('=');
        return equals < 0 ? name : name.substring(0, equals);
    }

    private static int port(String text) throws UsageException {
        if (text == null || text.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("port \"" + text + "\" is not a number from 0 to 65535");
    }
}
