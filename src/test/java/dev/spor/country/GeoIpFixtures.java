package dev.spor.country;

import dev.spor.config.CountryConfig;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** MaxMind's test databases (see {@code src/test/resources/geoip/README.md}) and request helpers. */
final class GeoIpFixtures {
    static final String GEOLITE2 = "GeoLite2-Country-Test.mmdb";
    static final String GEOIP2 = "GeoIP2-Country-Test.mmdb";
    static final String TABLE = "GeoLite2-Country-Test.json";

    /** Addresses of the test databases whose country differs from their registered country. */
    static final String GB = "81.2.69.142";
    static final String SE = "89.160.20.112";
    static final String US = "216.160.83.56";
    static final String JP = "2001:218::1";

    private static final Logger LOG = Logger.getLogger(CountryResolver.class.getName());

    private final List<CountryResolver> opened = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();

    static Path resource(String name) {
        URL url = GeoIpFixtures.class.getResource("/geoip/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource geoip/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request's headers, found by name in any case, as a servlet request finds them. */
    static UnaryOperator<String> headers(String... namesAndValues) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers::get;
    }

    static Location country(String code) {
        return new Location(code, null);
    }

    /** A resolver closed by {@link #closeAll()}. */
    CountryResolver open(CountryConfig config) throws Exception {
        CountryResolver resolver = CountryResolver.create(config);
        opened.add(resolver);
        return resolver;
    }

    CountryResolver database(String name) throws Exception {
        return open(new CountryConfig(null, null, List.of(), resource(name).toString()));
    }

    /** What the resolver logs from now until {@link #closeAll()}. */
    List<LogRecord> captureLog() {
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        LOG.addHandler(handler);
        handlers.add(handler);
        return records;
    }

    void closeAll() {
        handlers.forEach(LOG::removeHandler);
        handlers.clear();
        opened.forEach(CountryResolver::close);
        opened.clear();
    }
}
