package dev.spor.country;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an IP address as servlet containers and proxies write it: {@code 203.0.113.9},
 * {@code 203.0.113.9:5678}, {@code 2001:db8::1}, {@code [2001:db8::1]} or
 * {@code [2001:db8::1]:443}, with white space around it. Anything else is no address.
 *
 * <p>Text reaches {@link InetAddress#getByName} only once it is known to be a literal:
 * {@code getByName} quietly asks DNS about anything else (such as {@code 1.2.3.999}), and
 * these strings come from request headers. IPv4 octets with leading zeros are refused rather
 * than guessed at (octal or decimal); IPv6 zone ids ({@code %eth0}) are refused. Stateless.
 */
final class IpLiterals {
    /** The longest address in any of the forms above is 53 characters. */
    private static final int MAX_LENGTH = 64;
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(" + IPV4.pattern() + "):[0-9]{1,5}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]*)\\](?::[0-9]{1,5})?");
    /**
     * Starts with a hex digit or a colon and holds a colon: the shape {@code getByName} parses
     * as an IPv6 literal or rejects, never looking it up.
     */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

    private IpLiterals() {
    }

    /**
     * The address written in {@code text}, or null when it is not an IP literal in one of the
     * forms above. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) comes back as IPv4.
     */
    static InetAddress parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return null;
        }
        String address = text.strip();
        Matcher bracketed = BRACKETED.matcher(address);
        if (bracketed.matches()) {
            return ipv6(bracketed.group(1));
        }
        Matcher withPort = IPV4_WITH_PORT.matcher(address);
        if (withPort.matches()) {
            return toAddress(withPort.group(1));
        }
        return IPV4.matcher(address).matches() ? toAddress(address) : ipv6(address);
    }

    private static InetAddress ipv6(String text) {
        return IPV6.matcher(text).matches() ? toAddress(text) : null;
    }

    private static InetAddress toAddress(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
