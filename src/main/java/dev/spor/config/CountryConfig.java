package dev.spor.config;

import java.util.List;

/**
 * Where a visitor's country comes from, in order: a trusted proxy's header, a MaxMind-format
 * country database, else unknown (then only policies without a country condition match).
 *
 * @param header a country header set by a CDN or proxy (such as {@code CF-IPCountry}),
 *     believed only from {@code trustedProxies}; may be absent
 * @param regionHeader a header carrying the subdivision (such as {@code CA} for California),
 *     believed only from {@code trustedProxies}; may be absent
 * @param trustedProxies addresses or CIDR ranges of the proxies in front of Spor; only from
 *     them are {@code X-Forwarded-For} and the headers above believed
 * @param database path of a {@code .mmdb} country database; may be absent
 */
public record CountryConfig(String header, String regionHeader, List<String> trustedProxies, String database) {
    public static final CountryConfig NONE = new CountryConfig(null, null, List.of(), null);

    public CountryConfig {
        trustedProxies = Lists.copy(trustedProxies);
    }
}
