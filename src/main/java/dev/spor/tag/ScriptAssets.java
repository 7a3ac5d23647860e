package dev.spor.tag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The browser script and snippet as built by tag-js (esbuild), read once from the classpath.
 *
 * @param tracker the tracker bundle, containing {@link #CONFIG_PLACEHOLDER} once
 * @param snippet the minified paste-in snippet with {@link #BASES_PLACEHOLDER} and
 *     {@link #PATH_PLACEHOLDER}
 * @param banner the consent banner, loaded by the tracker only when a banner must be shown
 * @param collect page views, events, SPA navigation and delivery, loaded by the tracker only
 *     for a browser whose consent lets analytics run
 * @param forms form submissions, loaded by the tracker only for a site with forms
 */
public record ScriptAssets(String tracker, String snippet, String banner, String collect, String forms) {
    static final String CONFIG_PLACEHOLDER = "\"__SPOR_CONFIG__\"";
    static final String BASES_PLACEHOLDER = "__SPOR_BASES__";
    static final String PATH_PLACEHOLDER = "__SPOR_PATH__";
    private static final String DIR = "dev/spor/tag/js/";

    public ScriptAssets {
        if (!tracker.contains(CONFIG_PLACEHOLDER) || !snippet.contains(BASES_PLACEHOLDER)
                || !snippet.contains(PATH_PLACEHOLDER)) {
            throw new IllegalStateException("the built tag-js scripts lack their placeholders; rebuild with mvn package");
        }
    }

    /** Reads the built scripts; fails start-up when the build did not produce them. */
    public static ScriptAssets fromClasspath() {
        return new ScriptAssets(read("spor.js"), read("snippet.js"), read("banner.js"), read("collect.js"),
                read("forms.js"));
    }

    private static String read(String name) {
        try (InputStream in = ScriptAssets.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException(DIR + name + " is missing from the build (tag-js not built?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DIR + name, e);
        }
    }
}
