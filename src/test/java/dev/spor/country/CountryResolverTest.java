package dev.spor.country;

import static dev.spor.country.GeoIpFixtures.GB;
import static dev.spor.country.GeoIpFixtures.GEOLITE2;
import static dev.spor.country.GeoIpFixtures.JP;
import static dev.spor.country.GeoIpFixtures.SE;
import static dev.spor.country.GeoIpFixtures.country;
import static dev.spor.country.GeoIpFixtures.headers;
import static dev.spor.country.GeoIpFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.CountryConfig;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Trusted proxies, their headers and {@code X-Forwarded-For}. */
class CountryResolverTest {
    private static final String PROXY = "10.0.0.1";
    private static final List<String> PROXIES = List.of("10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32");

    private final GeoIpFixtures fixtures = new GeoIpFixtures();

    @AfterEach
    void closeResolvers() {
        fixtures.closeAll();
    }

    private CountryResolver withHeaders() throws Exception {
        return fixtures.open(new CountryConfig("CF-IPCountry", "CF-Region-Code", PROXIES, resource(GEOLITE2).toString()));
    }

    private CountryResolver proxiesOnly() throws Exception {
        return fixtures.open(new CountryConfig(null, null, PROXIES, null));
    }

    @Test
    void resolve_headerFromTrustedProxy_winsOverDatabase() throws Exception {
        Location location = withHeaders().resolve(PROXY, headers("cf-ipcountry", "DE", "X-Forwarded-For", GB));

        assertThat(location).isEqualTo(country("DE"));
    }

    @Test
    void resolve_headerFromUntrustedPeer_ignored() throws Exception {
        Location location = withHeaders().resolve(GB, headers("CF-IPCountry", "DE", "CF-Region-Code", "BY"));

        assertThat(location).isEqualTo(country("GB"));
    }

    @Test
    void resolve_headerInLowerCaseWithSpaces_upperCased() throws Exception {
        assertThat(withHeaders().resolve(PROXY, headers("CF-IPCountry", " de "))).isEqualTo(country("DE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"XX", "T1", "ZZ", "EU", "", "  ", "GBR", "g", "D E", "<b>", "1"})
    void resolve_headerNotACountryCode_fallsBackToDatabase(String value) throws Exception {
        Location location = withHeaders().resolve(PROXY, headers("CF-IPCountry", value, "CF-Region-Code", "CA", "X-Forwarded-For", GB));

        assertThat(location).isEqualTo(country("GB"));
    }

    @ParameterizedTest
    @CsvSource({"CA, US-CA", "ca, US-CA", "US-CA, US-CA", "' us-ca ', US-CA", "NY, US-NY"})
    void resolve_regionHeader_givesSubdivisionOfHeaderCountry(String value, String region) throws Exception {
        Location location = withHeaders().resolve(PROXY, headers("CF-IPCountry", "US", "CF-Region-Code", value));

        assertThat(location).isEqualTo(new Location("US", region));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GB-ENG", "California", "C-A", "", "US-", "-CA"})
    void resolve_regionOfAnotherCountryOrJunk_countryWithoutRegion(String value) throws Exception {
        Location location = withHeaders().resolve(PROXY, headers("CF-IPCountry", "US", "CF-Region-Code", value));

        assertThat(location).isEqualTo(country("US"));
    }

    @Test
    void resolve_regionHeaderWithoutCountryHeader_databaseCountryWithoutRegion() throws Exception {
        Location location = withHeaders().resolve(PROXY, headers("CF-Region-Code", "CA", "X-Forwarded-For", GB));

        assertThat(location).isEqualTo(country("GB"));
    }

    @Test
    void resolve_noDatabaseAndNoHeader_unknown() throws Exception {
        CountryResolver resolver = fixtures.open(CountryConfig.NONE);

        assertThat(resolver.resolve(GB, headers("CF-IPCountry", "DE"))).isEqualTo(Location.UNKNOWN);
        assertThat(resolver.resolve(PROXY, headers("X-Forwarded-For", GB))).isEqualTo(Location.UNKNOWN);
        assertThat(resolver.resolve(JP, headers())).isEqualTo(Location.UNKNOWN);
    }

    @Test
    void resolve_headerButNoDatabase_unknownWithoutHeaderValue() throws Exception {
        CountryResolver resolver = fixtures.open(new CountryConfig("CF-IPCountry", null, PROXIES, null));

        assertThat(resolver.resolve(PROXY, headers("CF-IPCountry", "SE"))).isEqualTo(country("SE"));
        assertThat(resolver.resolve(PROXY, headers("X-Forwarded-For", GB))).isEqualTo(Location.UNKNOWN);
    }

    @Test
    void resolve_untrustedPeerSendsForwardedFor_peerAddressLookedUp() throws Exception {
        CountryResolver resolver = withHeaders();

        assertThat(resolver.resolve(SE, headers("X-Forwarded-For", GB))).isEqualTo(country("SE"));
        assertThat(resolver.clientAddress(SE, GB)).isEqualTo(SE);
    }

    @Test
    void resolve_clientBehindSeveralTrustedHops_clientLookedUp() throws Exception {
        Location location = withHeaders().resolve(PROXY, headers("X-Forwarded-For", "203.0.113.7, " + GB + ", 192.168.1.5, 10.0.0.2"));

        assertThat(location).isEqualTo(country("GB"));
    }

    @Test
    void clientAddress_severalTrustedHops_firstUntrustedFromTheRight() throws Exception {
        CountryResolver resolver = proxiesOnly();

        // 203.0.113.7 is what the client claimed; the proxies vouch only for 81.2.69.142.
        assertThat(resolver.clientAddress(PROXY, "203.0.113.7, 81.2.69.142, 192.168.1.5, 10.0.0.2")).isEqualTo("81.2.69.142");
        assertThat(resolver.clientAddress(PROXY, "81.2.69.142")).isEqualTo("81.2.69.142");
        assertThat(resolver.clientAddress(PROXY, "81.2.69.142,10.0.0.2")).isEqualTo("81.2.69.142");
    }

    @Test
    void clientAddress_everyHopTrusted_leftmost() throws Exception {
        assertThat(proxiesOnly().clientAddress(PROXY, "10.0.0.3, 192.168.1.5, 10.0.0.2")).isEqualTo("10.0.0.3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "81.2.69.142, unknown, 10.0.0.2 | 10.0.0.2",
        "81.2.69.142, , 10.0.0.2 | 10.0.0.2",
        "81.2.69.142, 10.0.0.2, evil.example | 10.0.0.1",
        "81.2.69.142, 1.2.3.999, 192.168.1.5 | 192.168.1.5",
        "81.2.69.142, 10.0.0.2, | 10.0.0.1",
        "unknown, 10.0.0.2 | 10.0.0.2",
    })
    void clientAddress_malformedHop_lastGoodAddressBeforeIt(String forwardedFor, String client) throws Exception {
        assertThat(proxiesOnly().clientAddress(PROXY, forwardedFor)).isEqualTo(client);
    }

    @Test
    void clientAddress_untrustedPeer_forwardedForIgnored() throws Exception {
        CountryResolver resolver = proxiesOnly();

        assertThat(resolver.clientAddress("198.51.100.4", "81.2.69.142")).isEqualTo("198.51.100.4");
        assertThat(resolver.clientAddress("198.51.100.4", "10.0.0.2")).isEqualTo("198.51.100.4");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.1 | 81.2.69.142:5678 | 81.2.69.142",
        "10.0.0.1 | [2001:218::1]:443 | 2001:218:0:0:0:0:0:1",
        "10.0.0.1 | ' [2001:218::1] ' | 2001:218:0:0:0:0:0:1",
        "[2001:db8::1] | 81.2.69.142 | 81.2.69.142",
        "[2001:db8::1]:8443 | 81.2.69.142 | 81.2.69.142",
        "10.0.0.1:3456 | 81.2.69.142 | 81.2.69.142",
        "[::1] | 81.2.69.142 | 0:0:0:0:0:0:0:1",
        "::ffff:81.2.69.142 | 10.0.0.2 | 81.2.69.142",
    })
    void clientAddress_bracketsAndPorts_removed(String peer, String forwardedFor, String client) throws Exception {
        assertThat(proxiesOnly().clientAddress(peer, forwardedFor)).isEqualTo(client);
    }

    @Test
    void clientAddress_junkPeer_returnedUnchanged() throws Exception {
        CountryResolver resolver = proxiesOnly();

        assertThat(resolver.clientAddress(null, "81.2.69.142")).isNull();
        assertThat(resolver.clientAddress("unix:/run/spor.sock", "81.2.69.142")).isEqualTo("unix:/run/spor.sock");
    }

    @Test
    void clientAddress_moreTrustedHopsThanTheLimit_stopsAtTheLimit() throws Exception {
        CountryResolver resolver = proxiesOnly();
        int limit = CountryResolver.MAX_HOPS;

        assertThat(resolver.clientAddress(PROXY, "81.2.69.142, " + trustedHops(limit - 1))).isEqualTo("81.2.69.142");
        assertThat(resolver.clientAddress(PROXY, "81.2.69.142, " + trustedHops(limit))).isEqualTo("10.0.1.1");
        assertThat(resolver.clientAddress(PROXY, "81.2.69.142, " + trustedHops(limit + 5))).isEqualTo("10.0.1.6");
    }

    /** 10.0.1.1, 10.0.1.2, ... 10.0.1.n. */
    private static String trustedHops(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "10.0.1." + i).collect(Collectors.joining(", "));
    }

    @Test
    void clientAddress_hugeHeader_clientFoundAtItsEnd() throws Exception {
        String forwardedFor = "203.0.113.7, ".repeat(10_000) + "x".repeat(100_000) + ", 81.2.69.142, 10.0.0.3";

        assertThat(proxiesOnly().clientAddress(PROXY, forwardedFor)).isEqualTo("81.2.69.142");
    }

    @Test
    void resolve_ipv6ProxyAndClient_clientLookedUp() throws Exception {
        CountryResolver resolver = withHeaders();

        assertThat(resolver.resolve("2001:db8::5", headers("X-Forwarded-For", JP))).isEqualTo(country("JP"));
        assertThat(resolver.resolve("[2001:db8::5]", headers("X-Forwarded-For", "[" + JP + "]:443, 2001:db8::9"))).isEqualTo(country("JP"));
        assertThat(resolver.resolve("2001:db8::5", headers("CF-IPCountry", "NO"))).isEqualTo(country("NO"));
        assertThat(resolver.resolve(JP, headers("CF-IPCountry", "NO"))).isEqualTo(country("JP"));
    }

    @Test
    void resolve_ipv4MappedPeer_treatedAsIpv4() throws Exception {
        CountryResolver resolver = withHeaders();

        assertThat(resolver.resolve("::ffff:10.0.0.1", headers("X-Forwarded-For", SE))).isEqualTo(country("SE"));
        assertThat(resolver.resolve("::ffff:81.2.69.142", headers())).isEqualTo(country("GB"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "localhost", "1.2.3.999", "01.2.3.4", ".:1", "fe80::1%eth0", "81.2.69.142/24", "[81.2.69.142]",
        "81.2.69.142:port", "::ffff:zzz", "2001:218::1::1"})
    void resolve_peerNotAnAddress_unknown(String peer) throws Exception {
        assertThat(withHeaders().resolve(peer, headers("CF-IPCountry", "DE", "X-Forwarded-For", GB))).isEqualTo(Location.UNKNOWN);
    }

    @Test
    void resolve_overlongPeer_unknown() throws Exception {
        assertThat(withHeaders().resolve(GB + " ".repeat(10_000), headers())).isEqualTo(Location.UNKNOWN);
    }
}
