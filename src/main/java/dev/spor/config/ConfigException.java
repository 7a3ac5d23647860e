package dev.spor.config;

import java.util.List;

/** A configuration file that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {
    private final String source;
    private final List<ConfigError> errors;

    ConfigException(String source, List<ConfigError> errors) {
        super(describe(source, errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    /** The file (or resource) the errors are in. */
    public String source() {
        return source;
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String describe(String source, List<ConfigError> errors) {
        StringBuilder text = new StringBuilder("invalid config ").append(source).append(" (")
                .append(errors.size()).append(errors.size() == 1 ? " error)" : " errors)");
        for (ConfigError error : errors) {
            text.append(System.lineSeparator()).append("  ").append(source).append(": ").append(error);
        }
        return text.toString();
    }
}
