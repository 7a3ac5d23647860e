package dev.spor.tag;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.config.FormConfig;
import dev.spor.config.SiteConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A site's tracker with its configuration injected, rendered once per configuration snapshot,
 * in plain and precompressed gzip form.
 *
 * @param version hash of the content; the versioned URL {@code ?v=<version>} is immutable
 * @param plain the script's bytes
 * @param gzip the same, gzip-compressed
 */
record RenderedScript(String version, byte[] plain, byte[] gzip) {

    static RenderedScript render(ScriptAssets assets, SiteConfig site) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("site", site.key());
        config.putPOJO("bases", Snippet.bases(site));
        config.put("path", site.scriptPath());
        config.put("endpoint", site.endpointPath());
        config.put("hash", site.hashNavigation());
        config.putPOJO("downloads", site.downloadExtensions());
        if (!site.forms().isEmpty()) {
            config.set("forms", forms(site));
        }
        // the tracker asks for the banner and the chunks with this version too: it covers their bytes
        String version = sha256(assets.tracker() + ScriptJson.of(config) + assets.banner() + assets.collect()
                + assets.forms()).substring(0, 16);
        config.put("v", version);
        byte[] plain = assets.tracker().replace(ScriptAssets.CONFIG_PLACEHOLDER, ScriptJson.of(config))
                .getBytes(StandardCharsets.UTF_8);
        return new RenderedScript(version, plain, gzip(plain));
    }

    /** Form id to the CSS selector of its form element; "" for a form found by {@code data-spor-form} only. */
    private static ObjectNode forms(SiteConfig site) {
        ObjectNode forms = JsonNodeFactory.instance.objectNode();
        for (FormConfig form : site.forms()) {
            forms.put(form.id(), form.selector() == null ? "" : form.selector());
        }
        return forms;
    }

    /** A script served as built, such as the banner. */
    static RenderedScript of(String script) {
        byte[] plain = script.getBytes(StandardCharsets.UTF_8);
        return new RenderedScript(sha256(script).substring(0, 16), plain, gzip(plain));
    }

    /** Strong entity tag of one representation. */
    String etag(boolean gzipped) {
        return gzipped ? "\"" + version + "-gz\"" : "\"" + version + "\"";
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("gzip in memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
