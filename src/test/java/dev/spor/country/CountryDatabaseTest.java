package dev.spor.country;

import static dev.spor.country.GeoIpFixtures.GB;
import static dev.spor.country.GeoIpFixtures.GEOIP2;
import static dev.spor.country.GeoIpFixtures.GEOLITE2;
import static dev.spor.country.GeoIpFixtures.JP;
import static dev.spor.country.GeoIpFixtures.SE;
import static dev.spor.country.GeoIpFixtures.TABLE;
import static dev.spor.country.GeoIpFixtures.US;
import static dev.spor.country.GeoIpFixtures.country;
import static dev.spor.country.GeoIpFixtures.headers;
import static dev.spor.country.GeoIpFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spor.config.CountryConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Lookups in MaxMind's test databases, checked against the table they were built from. */
class CountryDatabaseTest {
    private final GeoIpFixtures fixtures = new GeoIpFixtures();

    @AfterEach
    void closeResolvers() {
        fixtures.closeAll();
    }

    /** GeoIP2 is the commercial edition; its test database is built from a table of its own. */
    @ParameterizedTest
    @ValueSource(strings = {GEOLITE2, GEOIP2})
    void resolve_addressesOfFourCountries_theirCountries(String database) throws Exception {
        CountryResolver resolver = fixtures.database(database);

        assertThat(resolver.resolve(GB, headers())).isEqualTo(country("GB"));
        assertThat(resolver.resolve(SE, headers())).isEqualTo(country("SE"));
        assertThat(resolver.resolve(US, headers())).isEqualTo(country("US"));
        assertThat(resolver.resolve(JP, headers())).isEqualTo(country("JP"));
    }

    /** Each of these networks is registered in another country (in brackets) than it is in. */
    @ParameterizedTest
    @CsvSource({"81.2.69.142, GB", "2.125.160.218, GB", "89.160.20.112, SE", "216.160.83.56, US", "67.43.156.1, BT"})
    void resolve_countryDiffersFromRegisteredCountry_country(String address, String expected) throws Exception {
        // registered: US, FR, DE, GB, RO
        assertThat(fixtures.database(GEOLITE2).resolve(address, headers())).isEqualTo(country(expected));
    }

    @Test
    void resolve_firstAndLastAddressOfEveryRangeInTestTable_itsCountry() throws Exception {
        CountryResolver resolver = fixtures.database(GEOLITE2);
        JsonNode table = new ObjectMapper().readTree(resource(TABLE).toFile());
        List<String> mismatches = new ArrayList<>();
        int ranges = 0;
        for (JsonNode entry : table) {
            String range = entry.fieldNames().next();
            JsonNode code = entry.get(range).path("country").path("iso_code");
            Location expected = code.isMissingNode() ? Location.UNKNOWN : country(code.asText());
            for (String address : firstAndLast(range)) {
                Location actual = resolver.resolve(address, headers());
                if (!actual.equals(expected)) {
                    mismatches.add(range + " at " + address + ": " + actual + ", expected " + expected);
                }
            }
            ranges++;
        }

        assertThat(ranges).isEqualTo(244);
        assertThat(mismatches).isEmpty();
    }

    /** The first and last address of a CIDR range. */
    private static List<String> firstAndLast(String range) throws IOException {
        String[] parts = range.split("/");
        byte[] network = InetAddress.getByName(parts[0]).getAddress();
        int hostBits = network.length * 8 - Integer.parseInt(parts[1]);
        BigInteger first = new BigInteger(1, network);
        BigInteger last = first.or(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE));
        return List.of(toLiteral(first, network.length), toLiteral(last, network.length));
    }

    private static String toLiteral(BigInteger value, int length) throws IOException {
        byte[] bytes = value.toByteArray();
        byte[] address = new byte[length];
        int copied = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copied, address, length - copied, copied);
        return InetAddress.getByAddress(address).getHostAddress();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "1.1.1.1", "::1", "2001:db8::1", "2a02:d500::1"})
    void resolve_addressTheDatabasePlacesNowhere_unknown(String address) throws Exception {
        assertThat(fixtures.database(GEOLITE2).resolve(address, headers())).isEqualTo(Location.UNKNOWN);
    }

    @Test
    void resolve_sameAddressAgain_answeredFromCacheWithoutTheDatabase() throws Exception {
        CountryResolver resolver = fixtures.database(GEOLITE2);
        assertThat(resolver.resolve(GB, headers())).isEqualTo(country("GB"));
        List<LogRecord> logged = fixtures.captureLog();

        resolver.close();

        assertThat(resolver.resolve(SE, headers())).as("not cached: the closed database would have to answer")
                .isEqualTo(Location.UNKNOWN);
        assertThat(resolver.resolve(GB, headers())).isEqualTo(country("GB"));
        assertThat(resolver.resolve("[::ffff:" + GB + "]:443", headers())).as("the same address, written differently")
                .isEqualTo(country("GB"));
        assertThat(logged).as("a closed database is no failure").isEmpty();
    }

    @Test
    void resolve_databaseFailsToRead_unknownAndOneWarningWithoutTheAddress(@TempDir Path dir) throws Exception {
        // Every lookup starts at the first node of the search tree; pointing it past the end of
        // the file makes the reader throw on every lookup.
        byte[] bytes = Files.readAllBytes(resource(GEOLITE2));
        Arrays.fill(bytes, 0, 64, (byte) 0xFF);
        Path corrupt = Files.write(dir.resolve("corrupt.mmdb"), bytes);
        CountryResolver resolver = fixtures.open(new CountryConfig(null, null, List.of(), corrupt.toString()));
        List<LogRecord> logged = fixtures.captureLog();

        assertThat(resolver.resolve(GB, headers())).isEqualTo(Location.UNKNOWN);
        assertThat(resolver.resolve(SE, headers())).isEqualTo(Location.UNKNOWN);
        assertThat(resolver.resolve(GB, headers())).isEqualTo(Location.UNKNOWN);

        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("corrupt.mmdb").contains("InvalidDatabaseException")
                    .doesNotContain(GB).doesNotContain(SE);
            assertThat(record.getThrown()).isNull();
        });
    }

    @Test
    void create_missingDatabase_throwsIOException(@TempDir Path dir) {
        CountryConfig config = new CountryConfig(null, null, List.of(), dir.resolve("missing.mmdb").toString());

        assertThatThrownBy(() -> CountryResolver.create(config)).isInstanceOf(IOException.class);
    }

    @Test
    void create_fileNotAMaxMindDatabase_throwsIOException() {
        CountryConfig config = new CountryConfig(null, null, List.of(), resource(TABLE).toString());

        assertThatThrownBy(() -> CountryResolver.create(config)).isInstanceOf(IOException.class);
    }
}
