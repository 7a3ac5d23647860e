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

    /** The byte form (used for every request's peer) agrees with the text form on every prefix length. */
    @Test
    void contains_bytes_agreesWithTheTextFormAtEveryPrefix() throws Exception {
        String[] addresses = {"10.200.3.4", "10.201.3.4", "10.0.0.0", "9.255.255.255", "203.0.113.77", "2001:db8:1::5",
            "2001:db9::1", "::1", "fe80::1"};
        for (String network : new String[] {"10.200.3.4", "2001:db8:1::5"}) {
            int bits = network.contains(":") ? 128 : 32;
            for (int prefix = 0; prefix <= bits; prefix++) {
                IpRange range = IpRange.parse(network + "/" + prefix);
                for (String address : addresses) {
                    byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
                    assertThat(range.contains(bytes)).as(address + " in " + network + "/" + prefix)
                            .isEqualTo(range.contains(address));
                }
            }
        }
        assertThat(IpRange.parse("10.200.0.0/13").contains(new byte[] {10, (byte) 207, 1, 1})).isTrue();
        assertThat(IpRange.parse("10.200.0.0/13").contains(new byte[] {10, (byte) 208, 1, 1})).isFalse();
    }
}
