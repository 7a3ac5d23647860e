package dev.spor.config;

/**
 * Identity verification: with {@code required}, the script's {@code identify} is applied only
 * with an HMAC-SHA256 of the email made with {@code secret} by the site's backend.
 *
 * @param secret shared secret, at least 32 characters; never shown by the API
 * @param required whether unverified {@code identify} calls are ignored
 */
public record IdentityConfig(String secret, Boolean required) {
    public IdentityConfig {
        if (required == null) {
            required = false;
        }
    }

    @Override
    public String toString() {
        return "IdentityConfig[secret=" + (secret == null ? "none" : "****") + ", required=" + required + "]";
    }
}
