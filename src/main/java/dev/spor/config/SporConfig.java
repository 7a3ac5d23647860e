package dev.spor.config;

import java.util.List;

/**
 * The whole configuration file as written: the sites Spor serves. Immutable once parsed; a
 * change on disk produces a new instance (see {@link LiveConfig}).
 *
 * @param sites the configured sites, in file order
 */
public record SporConfig(List<SiteConfig> sites) {
    public SporConfig {
        sites = Lists.copy(sites);
    }
}
