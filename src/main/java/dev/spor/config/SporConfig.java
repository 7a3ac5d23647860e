package dev.spor.config;

import java.util.List;

/**
 * The whole configuration file as written: the sites Spor serves. Immutable once parsed; a
 * change on disk produces a new instance (see {@link LiveConfig}).
 *
 * @param sites the configured sites, in file order
 * @param country where visitors' countries come from; absent means unknown
 * @param consentLog settings of the consent log
 * @param limits rate limits of the script's endpoints
 */
public record SporConfig(List<SiteConfig> sites, CountryConfig country, ConsentLogConfig consentLog, LimitsConfig limits) {
    public SporConfig {
        sites = Lists.copy(sites);
        if (country == null) {
            country = CountryConfig.NONE;
        }
        if (consentLog == null) {
            consentLog = ConsentLogConfig.DEFAULT;
        }
        if (limits == null) {
            limits = LimitsConfig.DEFAULT;
        }
    }
}
