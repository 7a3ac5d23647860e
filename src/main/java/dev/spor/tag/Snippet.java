package dev.spor.tag;

import dev.spor.config.HostAlias;
import dev.spor.config.SiteConfig;
import java.util.List;

/**
 * The paste-in snippet of a site: it loads the script from the site's first alias and falls
 * back to the next ones. Immutable and thread-safe.
 */
public final class Snippet {
    private final ScriptAssets assets;

    public Snippet(ScriptAssets assets) {
        this.assets = assets;
    }

    /**
     * The base URLs the snippet and the script try, in alias order. A path-prefix alias on one
     * of the site's own domains is written root-relative ({@code /_sp}), since it is proxied on
     * the host the page itself is on; any other alias is {@code https://host[/prefix]}.
     */
    public static List<String> bases(SiteConfig site) {
        return site.aliases().stream().map(alias -> base(site, alias)).toList();
    }

    private static String base(SiteConfig site, HostAlias alias) {
        if (!alias.pathPrefix().isEmpty() && site.domains().contains(alias.host())) {
            return alias.pathPrefix();
        }
        return "https://" + alias.host() + alias.pathPrefix();
    }

    /** The snippet's JavaScript for a site. */
    public String javascript(SiteConfig site) {
        return javascript(bases(site), site.scriptPath());
    }

    /** The snippet's JavaScript for explicit bases (tests, or a site behind unusual proxies). */
    public String javascript(List<String> bases, String scriptPath) {
        return assets.snippet()
                .replace(ScriptAssets.BASES_PLACEHOLDER, ScriptJson.of(bases))
                .replace(ScriptAssets.PATH_PLACEHOLDER, ScriptJson.of(scriptPath));
    }

    /** The HTML to paste into every page's {@code <head>}. */
    public String html(SiteConfig site) {
        return "<script>" + javascript(site) + "</script>";
    }
}
