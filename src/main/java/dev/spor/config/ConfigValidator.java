package dev.spor.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed configuration and collects every problem with its JSON path, so that one
 * run names all of them. Stateless.
 */
final class ConfigValidator {
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern FIELD_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern REGION = Pattern.compile("([A-Z]{2})-[A-Z0-9]{1,3}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> COUNTRY_GROUPS = Set.of("EU", "EEA");
    private static final int MIN_SECRET_LENGTH = 32;
    private static final int MAX_DAYS = 3650;
    private static final int MAX_TEXT = 2000;
    private static final Pattern LANGUAGE = Pattern.compile("([a-z]{2})(-[A-Z]{2})?");
    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

    private final List<ConfigError> errors = new ArrayList<>();

    private ConfigValidator() {
    }

    static List<ConfigError> validate(SporConfig config) {
        ConfigValidator validator = new ConfigValidator();
        validator.checkSites(config.sites());
        validator.checkCountry(config.country());
        String salt = config.consentLog().ipHashSalt();
        if (salt != null && salt.length() < MIN_SECRET_LENGTH) {
            validator.error("consentLog.ipHashSalt", "must be at least " + MIN_SECRET_LENGTH + " characters (it is "
                    + salt.length() + ")");
        }
        validator.rate("limits.perAddressPerSecond", config.limits().perAddressPerSecond());
        validator.rate("limits.perSitePerSecond", config.limits().perSitePerSecond());
        return List.copyOf(validator.errors);
    }

    private void rate(String path, int perSecond) {
        if (perSecond < 1 || perSecond > LimitsConfig.MAX_RATE) {
            error(path, "must be from 1 to " + LimitsConfig.MAX_RATE + " requests per second");
        }
    }

    private void error(String path, String reason) {
        errors.add(new ConfigError(path, reason));
    }

    private void checkSites(List<SiteConfig> sites) {
        if (sites.isEmpty()) {
            error("sites", "at least one site is required");
            return;
        }
        Map<String, String> keys = new HashMap<>();
        Map<HostAlias, String> aliasOwners = new HashMap<>();
        for (int i = 0; i < sites.size(); i++) {
            String path = "sites[" + i + "]";
            SiteConfig site = sites.get(i);
            if (site == null) {
                error(path, "must be an object");
                continue;
            }
            checkKey(path, site.key(), keys);
            checkDomains(path, site);
            checkHosts(path, site, aliasOwners);
            checkScriptPath(path, site);
            checkEndpointPath(path, site);
            for (int d = 0; d < site.downloadExtensions().size(); d++) {
                String extension = site.downloadExtensions().get(d);
                if (extension == null || !extension.matches("[a-z0-9]{1,10}")) {
                    error(path + ".downloadExtensions[" + d + "]", quote(extension) + " must be 1 to 10 of a-z and 0-9, no dot");
                }
            }
            checkSiteTexts(path, site);
            checkPolicies(path + ".policies", site);
            checkForms(path + ".forms", site.forms());
            checkIdentity(path + ".identity", site.identity());
        }
    }

    private void checkKey(String path, String key, Map<String, String> keys) {
        if (key == null) {
            error(path + ".key", "is required");
        } else if (!KEY.matcher(key).matches()) {
            error(path + ".key", quote(key) + " must be 1 to 40 characters of a-z, 0-9 and '-', starting with a letter or digit");
        } else {
            String first = keys.putIfAbsent(key, path);
            if (first != null) {
                error(path + ".key", quote(key) + " is already the key of " + first);
            }
        }
    }

    private void checkDomains(String path, SiteConfig site) {
        String cookieDomain = site.cookieDomain();
        boolean cookieDomainValid = false;
        if (cookieDomain == null) {
            error(path + ".cookieDomain", "is required");
        } else if (!HostNames.isValid(cookieDomain)) {
            error(path + ".cookieDomain", quote(cookieDomain) + " is not a valid lower-case domain name");
        } else {
            cookieDomainValid = true;
        }
        if (site.domains().isEmpty()) {
            error(path + ".domains", "at least one domain is required");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < site.domains().size(); i++) {
            String at = path + ".domains[" + i + "]";
            String domain = site.domains().get(i);
            if (!HostNames.isValid(domain)) {
                error(at, quote(domain) + " is not a valid lower-case host name");
            } else if (!seen.add(domain)) {
                error(at, quote(domain) + " is listed twice");
            } else if (cookieDomainValid && !HostNames.isUnder(domain, cookieDomain)) {
                error(at, quote(domain) + " is not under cookie domain " + quote(cookieDomain));
            }
        }
    }

    private void checkHosts(String path, SiteConfig site, Map<HostAlias, String> aliasOwners) {
        if (site.hosts().isEmpty()) {
            error(path + ".hosts", "at least one host alias is required");
        }
        String cookieDomain = site.cookieDomain();
        boolean checkUnder = cookieDomain != null && HostNames.isValid(cookieDomain);
        for (int i = 0; i < site.hosts().size(); i++) {
            String at = path + ".hosts[" + i + "]";
            String text = site.hosts().get(i);
            if (text == null || text.isBlank()) {
                error(at, "must be a host name such as \"t.example.com\" or \"www.example.com/_sp\"");
                continue;
            }
            HostAlias alias = HostAlias.parse(text);
            if (!HostNames.isValid(alias.host())) {
                error(at, quote(text) + " is not a valid lower-case host name (write no scheme and no port)");
            } else if (!alias.pathPrefix().isEmpty() && !PREFIX.matcher(alias.pathPrefix()).matches()) {
                error(at, "path prefix " + quote(alias.pathPrefix()) + " may contain only letters, digits and . _ ~ -");
            } else if (checkUnder && !HostNames.isUnder(alias.host(), cookieDomain)) {
                error(at, quote(text) + " is not under cookie domain " + quote(cookieDomain));
            } else {
                String owner = aliasOwners.putIfAbsent(alias, site.key());
                if (owner != null) {
                    error(at, quote(alias.toString()) + " is already an alias of site " + quote(owner));
                }
            }
        }
    }

    private void checkScriptPath(String path, SiteConfig site) {
        String scriptPath = site.scriptPath();
        boolean derived = scriptPath != null && scriptPath.equals("/s/" + site.key() + ".js");
        if (scriptPath != null && !derived && !scriptPath.matches("(/[A-Za-z0-9._~-]+)+\\.js")) {
            error(path + ".scriptPath", quote(scriptPath)
                    + " must be a path such as \"/s/site.js\" (letters, digits, . _ ~ -), ending in .js");
        }
    }

    private void checkEndpointPath(String path, SiteConfig site) {
        String endpoint = site.endpointPath();
        if (endpoint == null || endpoint.equals(site.scriptPath().replaceAll("\\.js$", ""))) {
            return;
        }
        if (!endpoint.matches("(/[A-Za-z0-9._~-]+)+")) {
            error(path + ".endpointPath", quote(endpoint) + " must be a path such as \"/x/site\" (letters, digits, . _ ~ -)");
        } else if (endpoint.equals(site.scriptPath())) {
            error(path + ".endpointPath", "must differ from the script path");
        }
    }

    private void checkPolicies(String path, SiteConfig site) {
        List<PolicyConfig> policies = site.policies();
        Map<String, String> ids = new HashMap<>();
        String catchAll = null;
        for (int i = 0; i < policies.size(); i++) {
            String at = path + "[" + i + "]";
            PolicyConfig policy = policies.get(i);
            if (policy == null) {
                error(at, "must be an object");
                continue;
            }
            if (catchAll != null) {
                error(at, "is unreachable: it comes after the catch-all policy " + catchAll);
            }
            checkPolicy(at, policy, ids);
            checkPolicyTexts(at, site, policy);
            if (policy.isCatchAll() && catchAll == null) {
                catchAll = quote(String.valueOf(policy.id())) + " at " + at;
            }
        }
        if (catchAll == null) {
            error(path, "a catch-all default policy (one without \"match\") is required as the last policy");
        }
    }

    private void checkPolicy(String at, PolicyConfig policy, Map<String, String> ids) {
        if (policy.id() == null) {
            error(at + ".id", "is required");
        } else if (!FIELD_ID.matcher(policy.id()).matches()) {
            error(at + ".id", quote(policy.id()) + " must be 1 to 64 characters of letters, digits, . _ -");
        } else {
            String first = ids.putIfAbsent(policy.id(), at);
            if (first != null) {
                error(at + ".id", quote(policy.id()) + " is already the id of " + first);
            }
        }
        if (policy.mode() == null) {
            error(at + ".mode", "is required: one of " + String.join(", ", PolicyConfig.MODES));
        } else if (!PolicyConfig.MODES.contains(policy.mode())) {
            error(at + ".mode", quote(policy.mode()) + " is not one of " + String.join(", ", PolicyConfig.MODES));
        }
        for (int c = 0; c < policy.categories().size(); c++) {
            String category = policy.categories().get(c);
            if (!PolicyConfig.CATEGORIES.contains(category)) {
                error(at + ".categories[" + c + "]", quote(category) + " is not one of " + String.join(", ", PolicyConfig.CATEGORIES));
            }
        }
        if (policy.revision() < 1) {
            error(at + ".revision", "must be 1 or more");
        }
        checkDays(at + ".acceptDays", policy.acceptDays());
        checkDays(at + ".rejectDays", policy.rejectDays());
        if (policy.match() != null) {
            checkMatch(at + ".match", policy.match());
        }
    }

    private void checkMatch(String at, MatchConfig match) {
        for (int i = 0; i < match.domains().size(); i++) {
            String domain = match.domains().get(i);
            String host = domain != null && domain.startsWith("*.") ? domain.substring(2) : domain;
            if (!HostNames.isValid(host)) {
                error(at + ".domains[" + i + "]", quote(domain) + " is not a host name or \"*.\" followed by one");
            }
        }
        for (int i = 0; i < match.paths().size(); i++) {
            try {
                PathPattern.compile(match.paths().get(i));
            } catch (IllegalArgumentException e) {
                error(at + ".paths[" + i + "]", quote(match.paths().get(i)) + " " + e.getMessage());
            }
        }
        for (int i = 0; i < match.countries().size(); i++) {
            String country = match.countries().get(i);
            if (!isCountry(country)) {
                error(at + ".countries[" + i + "]", quote(country)
                        + " is not an ISO 3166 country code (upper case), EU, EEA, or a region such as \"US-CA\"");
            }
        }
    }

    private void checkDays(String at, int days) {
        if (days < 1 || days > MAX_DAYS) {
            error(at, "must be from 1 to " + MAX_DAYS + " days");
        }
    }

    private void checkSiteTexts(String path, SiteConfig site) {
        checkLanguage(path + ".fallbackLanguage", site.fallbackLanguage());
        checkTexts(path + ".texts", site.texts());
        if (site.trackingCookieDays() < 1 || site.trackingCookieDays() > MAX_DAYS) {
            error(path + ".trackingCookieDays", "must be from 1 to " + MAX_DAYS + " days");
        }
        if (site.retentionDays() < 1 || site.retentionDays() > MAX_DAYS) {
            error(path + ".retentionDays", "must be from 1 to " + MAX_DAYS + " days");
        }
    }

    /**
     * A policy that shows a banner needs every text in its fallback language: from its own
     * texts, the site's, or Spor's built-in ones (English).
     */
    private void checkPolicyTexts(String at, SiteConfig site, PolicyConfig policy) {
        if (policy.fallbackLanguage() != null) {
            checkLanguage(at + ".fallbackLanguage", policy.fallbackLanguage());
        }
        if (policy.texts() != null) {
            checkTexts(at + ".texts", policy.texts());
        }
        if (!policy.showsBanner()) {
            return;
        }
        String fallback = policy.fallbackLanguage() != null ? policy.fallbackLanguage() : site.fallbackLanguage();
        BannerTexts builtIn = BannerTexts.BUILT_IN.get(fallback);
        BannerTexts siteTexts = site.texts().get(fallback);
        BannerTexts own = policy.texts() == null ? null : policy.texts().get(fallback);
        if (builtIn == null && siteTexts == null && own == null) {
            error(policy.texts() != null ? at + ".texts" : at.substring(0, at.indexOf(".policies")) + ".texts",
                    "has no texts for the fallback language " + quote(fallback) + ", which policy " + quote(policy.id())
                    + " needs");
            return;
        }
        BannerTexts base = BannerTexts.empty().overriddenBy(builtIn).overriddenBy(siteTexts).overriddenBy(own);
        String basePath = (own != null ? at : at.substring(0, at.indexOf(".policies"))) + ".texts." + fallback;
        requireText(basePath + ".title", base.title());
        requireText(basePath + ".description", base.description());
        requireText(basePath + ".acceptAll", base.acceptAll());
        if (!"notify".equals(policy.mode())) {
            requireText(basePath + ".rejectAll", base.rejectAll());
            requireText(basePath + ".settings", base.settings());
            requireText(basePath + ".save", base.save());
            for (String category : policy.categories()) {
                BannerTexts.CategoryTexts words = base.categories().get(category);
                if (PolicyConfig.CATEGORIES.contains(category) && (words == null || isBlank(words.name()))) {
                    error(basePath + ".categories", "needs a name for category " + quote(category)
                            + ", offered by policy " + quote(policy.id()));
                }
            }
        }
    }

    private void requireText(String at, String text) {
        if (isBlank(text)) {
            error(at, "is required in the fallback language");
        }
    }

    private void checkTexts(String path, Map<String, BannerTexts> texts) {
        for (Map.Entry<String, BannerTexts> entry : texts.entrySet()) {
            String at = path + "." + entry.getKey();
            checkLanguage(at, entry.getKey());
            BannerTexts words = entry.getValue();
            if (words == null) {
                error(at, "must be an object");
                continue;
            }
            for (String text : java.util.Arrays.asList(words.title(), words.description(), words.acceptAll(),
                    words.rejectAll(), words.settings(), words.save(), words.privacyLabel(), words.gpcNotice())) {
                if (text != null && text.length() > MAX_TEXT) {
                    error(at, "has a text longer than " + MAX_TEXT + " characters");
                }
            }
            String url = words.privacyUrl();
            if (url != null && !url.startsWith("https://") && !url.startsWith("http://") && !url.matches("/[^/].*|/")) {
                error(at + ".privacyUrl", quote(url) + " must be an http(s) URL or a path starting with \"/\"");
            }
            for (String category : words.categories().keySet()) {
                if (!PolicyConfig.CATEGORIES.contains(category)) {
                    error(at + ".categories." + category, "is not one of " + String.join(", ", PolicyConfig.CATEGORIES));
                }
            }
        }
    }

    private void checkLanguage(String at, String tag) {
        var m = tag == null ? null : LANGUAGE.matcher(tag);
        if (m == null || !m.matches() || !LANGUAGES.contains(m.group(1))) {
            error(at, quote(tag) + " is not a language such as \"en\" or \"pt-BR\" (ISO 639-1, optionally a region)");
        }
    }

    private void checkCountry(CountryConfig country) {
        for (int i = 0; i < country.trustedProxies().size(); i++) {
            String proxy = country.trustedProxies().get(i);
            if (!IpRange.isValid(proxy)) {
                error("country.trustedProxies[" + i + "]", quote(proxy) + " is not an IP address or CIDR range");
            }
        }
        if ((country.header() != null || country.regionHeader() != null) && country.trustedProxies().isEmpty()) {
            error("country.trustedProxies", "is required with a country header: only trusted proxies may set it");
        }
        checkHeaderName("country.header", country.header());
        checkHeaderName("country.regionHeader", country.regionHeader());
        if (country.database() != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(country.database()))) {
            error("country.database", quote(country.database()) + " is not a readable file");
        }
    }

    private void checkHeaderName(String at, String header) {
        if (header != null && !header.matches("[A-Za-z0-9-]{1,64}")) {
            error(at, quote(header) + " is not an HTTP header name");
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static boolean isCountry(String code) {
        if (code == null) {
            return false;
        }
        var region = REGION.matcher(code);
        return COUNTRIES.contains(code) || COUNTRY_GROUPS.contains(code)
                || region.matches() && COUNTRIES.contains(region.group(1));
    }

    private void checkForms(String path, List<FormConfig> forms) {
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < forms.size(); i++) {
            String at = path + "[" + i + "]";
            FormConfig form = forms.get(i);
            if (form == null) {
                error(at, "must be an object");
                continue;
            }
            if (form.id() == null) {
                error(at + ".id", "is required");
            } else if (!FIELD_ID.matcher(form.id()).matches()) {
                error(at + ".id", quote(form.id()) + " must be 1 to 64 characters of letters, digits, . _ -");
            } else {
                String first = ids.putIfAbsent(form.id(), at);
                if (first != null) {
                    error(at + ".id", quote(form.id()) + " is already the id of " + first);
                }
            }
            if (form.emailField() == null || form.emailField().isBlank()) {
                error(at + ".emailField", "is required: the name of the field that holds the email address");
            } else if (form.emailField().length() > FormConfig.MAX_TEXT) {
                error(at + ".emailField", "must be at most " + FormConfig.MAX_TEXT + " characters");
            }
            if (form.name() != null && form.name().length() > FormConfig.MAX_TEXT) {
                error(at + ".name", "must be at most " + FormConfig.MAX_TEXT + " characters");
            }
            if (form.selector() != null && (form.selector().isBlank() || form.selector().length() > FormConfig.MAX_TEXT
                    || form.selector().chars().anyMatch(c -> c < ' ' || c == '<'))) {
                error(at + ".selector", "must be a CSS selector of 1 to " + FormConfig.MAX_TEXT + " characters on one line");
            }
        }
    }

    private void checkIdentity(String path, IdentityConfig identity) {
        String secret = identity.secret();
        if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
            error(path + ".secret", "must be at least " + MIN_SECRET_LENGTH + " characters (it is " + secret.length() + ")");
        }
        if (identity.required() && secret == null) {
            error(path + ".required", "needs a secret to verify identities with");
        }
    }

    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
