package dev.spor.config;

/**
 * The consent log's settings.
 *
 * @param ipHashSalt secret salt of the IP hash kept with each decision (the raw address is
 *     never stored); the hash also changes every month, so hashes cannot be linked across
 *     months. When absent, Spor generates one and keeps it in the database.
 */
public record ConsentLogConfig(String ipHashSalt) {
    public static final ConsentLogConfig DEFAULT = new ConsentLogConfig(null);

    @Override
    public String toString() {
        return "ConsentLogConfig[ipHashSalt=" + (ipHashSalt == null ? "generated" : "****") + "]";
    }
}
