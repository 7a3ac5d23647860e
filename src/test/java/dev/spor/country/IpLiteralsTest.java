package dev.spor.country;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "203.0.113.9 | 203.0.113.9",
        "' 203.0.113.9 ' | 203.0.113.9",
        "203.0.113.9:5678 | 203.0.113.9",
        "0.0.0.0 | 0.0.0.0",
        "255.255.255.255 | 255.255.255.255",
        "2001:db8::1 | 2001:db8:0:0:0:0:0:1",
        "2001:DB8::1 | 2001:db8:0:0:0:0:0:1",
        "[2001:db8::1] | 2001:db8:0:0:0:0:0:1",
        "[2001:db8::1]:443 | 2001:db8:0:0:0:0:0:1",
        "::1 | 0:0:0:0:0:0:0:1",
        "::ffff:10.0.0.1 | 10.0.0.1",
        "[::ffff:10.0.0.1]:80 | 10.0.0.1",
    })
    void parse_literal_itsAddress(String text, String address) {
        InetAddress parsed = IpLiterals.parse(text);

        assertThat(parsed).isNotNull();
        assertThat(parsed.getHostAddress()).isEqualTo(address);
    }

    /** Several of these would make {@code InetAddress.getByName} ask DNS. */
    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "unknown", "localhost", "example.com", "1.2.3.999", "256.1.1.1", "1.2.3", "16909060", "01.2.3.4",
        "1.2.3.4.", ".:1", ".::1", "a.b.c.d", "fe80::1%eth0", "[203.0.113.9]", "[2001:db8::1", "2001:db8::1]", "[2001:db8::1]:port",
        "203.0.113.9:", "203.0.113.9:123456", "1:2", "2001:db8::1::1", "gggg::1", "203.0.113.9/32", "\"203.0.113.9\"",
        "0000000000000000000000000000000000000000000000000000000000001.2.3.4"})
    void parse_notALiteral_null(String text) {
        assertThat(IpLiterals.parse(text)).isNull();
    }
}
