package dev.spor.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IP address or CIDR range ({@code 10.0.0.0/8}, {@code ::1}, {@code 2001:db8::/32}), parsed
 * without DNS. Immutable and thread-safe.
 */
public final class IpRange {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses a range; throws {@link IllegalArgumentException} for anything else. */
    public static IpRange parse(String text) {
        String address = text == null ? "" : text.trim();
        int prefix = -1;
        int slash = address.indexOf('/');
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(address.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            address = address.substring(0, slash);
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        int bits = bytes.length * 8;
        if (prefix == -1) {
            prefix = bits;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length out of range in " + text);
        }
        return new IpRange(bytes, prefix);
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether an address (its 4 or 16 bytes, as from {@code InetAddress.getAddress()}) lies in this range. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    /** Whether an address (a literal, as from {@code getRemoteAddr()}) lies in this range. */
    public boolean contains(String address) {
        byte[] bytes = literal(address);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int bits = bytes.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .shiftRight(prefix).xor(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    private static boolean isDottedQuad(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String part : text.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes of an IP literal, or null. Only text already shaped like a literal reaches
     * {@link InetAddress#getByName}, which then parses it without asking DNS.
     */
    static byte[] literal(String address) {
        if (address == null) {
            return null;
        }
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (bare.isEmpty() || !LITERAL.matcher(bare).matches() || !bare.contains(".") && !bare.contains(":")) {
            return null;
        }
        if (!bare.contains(":") && !isDottedQuad(bare)) {
            return null;
        }
        if (bare.contains(":") && !bare.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(bare).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
