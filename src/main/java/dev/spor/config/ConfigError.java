package dev.spor.config;

/**
 * One problem in a configuration file.
 *
 * @param path JSON path of the field, such as {@code sites[0].hosts[1]}; empty for the file
 * @param reason what is wrong, phrased for the person editing the file
 */
public record ConfigError(String path, String reason) {
    @Override
    public String toString() {
        return path.isEmpty() ? reason : path + ": " + reason;
    }
}
