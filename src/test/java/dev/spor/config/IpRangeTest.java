package dev.spor.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpRangeTest {

    @Test
    void contains_cidrRanges_ipv4AndIpv6() {
        assertThat(IpRange.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
        assertThat(IpRange.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
        assertThat(IpRange.parse("127.0.0.1").contains("127.0.0.1")).isTrue();
        assertThat(IpRange.parse("2001:db8::/32").contains("2001:db8:1::5")).isTrue();
        assertThat(IpRange.parse("2001:db8::/32").contains("10.0.0.1")).isFalse();
    }

    @Test
    void isValid_onlyLiterals_neverHostNamesOrOutOfRangeNumbers() {
        assertThat(IpRange.isValid("192.168.0.0/16")).isTrue();
        assertThat(IpRange.isValid("::1")).isTrue();
        assertThat(IpRange.isValid("1.2.3.999")).isFalse();
        assertThat(IpRange.isValid(".:1")).isFalse();
        assertThat(IpRange.isValid("localhost")).isFalse();
        assertThat(IpRange.isValid("10.0.0.0/33")).isFalse();
        assertThat(IpRange.isValid("10.0.0.0/x")).isFalse();
        assertThat(IpRange.parse("10.0.0.0/8").contains("not-an-address")).isFalse();
    }
}
