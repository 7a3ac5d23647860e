package dev.spor.config;

import java.util.List;
import java.util.Map;

/**
 * One website served by Spor.
 *
 * @param key short id used in URLs and the API ({@code [a-z0-9-]{1,40}})
 * @param name human-readable name, defaults to the key
 * @param domains the site's own host names (its pages live there)
 * @param cookieDomain the domain Spor's first-party cookies are set for; every domain and
 *     every host alias must be this domain or under it
 * @param hosts host aliases Spor answers on for this site: {@code "t.example.com"} or, for a
 *     path prefix on a host, {@code "www.example.com/_sp"}
 * @param scriptPath path of the tracking script under each alias, default {@code /s/<key>.js}
 * @param endpointPath base path of the script's endpoints (consent state, page views, events)
 *     under each alias; default the script path without {@code .js}
 * @param policies consent policies, first match wins, the last one must be a catch-all
 * @param forms forms whose submissions identify visitors
 * @param identity identity verification settings, may be absent
 * @param fallbackLanguage language of the banner when the page's and the browser's are not
 *     configured; default {@code en}; a policy may set its own
 * @param texts banner texts per language for every policy of the site that has none of its own
 * @param trackingCookieDays lifetime of the tracking cookie, default 395 (13 months)
 * @param serverSidePageViews whether Spor's consent filter, wrapped around the site's own
 *     pages, stores a page view for each HTML page it serves to a consenting visitor (for
 *     sites without the script); default false
 * @param countAutomation whether page views and events of known bots and automated browsers
 *     ({@code navigator.webdriver}) count as people's instead of being flagged as bots; for
 *     Spor's own browser tests; default false
 * @param hashNavigation whether a change of the URL's fragment alone is a page view in a
 *     single-page app; default false
 * @param downloadExtensions file extensions (lower case, no dot) whose links are downloads;
 *     default {@link #DEFAULT_DOWNLOADS}
 * @param retentionDays how long page views and events are kept before the retention job
 *     deletes them, 1 to 3650 days; default {@link #DEFAULT_RETENTION_DAYS} (two years)
 */
public record SiteConfig(
        String key,
        String name,
        List<String> domains,
        String cookieDomain,
        List<String> hosts,
        String scriptPath,
        String endpointPath,
        List<PolicyConfig> policies,
        List<FormConfig> forms,
        IdentityConfig identity,
        String fallbackLanguage,
        Map<String, BannerTexts> texts,
        Integer trackingCookieDays,
        Boolean serverSidePageViews,
        Boolean countAutomation,
        Boolean hashNavigation,
        List<String> downloadExtensions,
        Integer retentionDays) {

    /** Links ending in these are downloads: sent as events, never page views. */
    public static final List<String> DEFAULT_DOWNLOADS =
            List.of("pdf", "zip", "dmg", "exe", "docx", "xlsx", "pptx", "csv", "mp3", "mp4");
    /** Page views and events are kept this long unless a site says otherwise. */
    public static final int DEFAULT_RETENTION_DAYS = 730;

    public SiteConfig {
        domains = Lists.copy(domains);
        hosts = Lists.copy(hosts);
        policies = Lists.copy(policies);
        forms = Lists.copy(forms);
        if (name == null) {
            name = key;
        }
        if (scriptPath == null && key != null) {
            scriptPath = "/s/" + key + ".js";
        }
        if (endpointPath == null && scriptPath != null && scriptPath.endsWith(".js")) {
            endpointPath = scriptPath.substring(0, scriptPath.length() - ".js".length());
        }
        if (identity == null) {
            identity = new IdentityConfig(null, false);
        }
        if (fallbackLanguage == null) {
            fallbackLanguage = "en";
        }
        texts = Maps.copy(texts);
        if (trackingCookieDays == null) {
            trackingCookieDays = 395;
        }
        if (hashNavigation == null) {
            hashNavigation = false;
        }
        downloadExtensions = downloadExtensions == null ? DEFAULT_DOWNLOADS : Lists.copy(downloadExtensions);
        if (serverSidePageViews == null) {
            serverSidePageViews = false;
        }
        if (countAutomation == null) {
            countAutomation = false;
        }
        if (retentionDays == null) {
            retentionDays = DEFAULT_RETENTION_DAYS;
        }
    }


    /** The host aliases parsed; only meaningful for a validated config. */
    public List<HostAlias> aliases() {
        return hosts.stream().map(HostAlias::parse).toList();
    }
}
