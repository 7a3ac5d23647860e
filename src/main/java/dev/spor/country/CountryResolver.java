package dev.spor.country;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.maxmind.db.Reader;
import dev.spor.config.CountryConfig;
import dev.spor.config.IpRange;
import java.io.File;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds a visitor's country (and region, when known) for the country conditions of consent
 * policies. In order:
 * <ol>
 * <li>the configured country header (such as a CDN's {@code CF-IPCountry}), believed only when
 *     the request comes straight from a trusted proxy, and only when it holds an ISO 3166 code
 *     ({@code XX} for unknown and {@code T1} for Tor, which CDNs send, are not codes); the
 *     region header is read alongside it;</li>
 * <li>the configured MaxMind-format country database, looked up for the
 *     {@linkplain #clientAddress client address};</li>
 * <li>otherwise unknown.</li>
 * </ol>
 *
 * <p>From the database Spor takes {@code country.iso_code} only, never
 * {@code registered_country}: the registered country is where the network's owner (an ISP, a
 * mobile carrier, a hosting company) registered the block, not where the visitor is, and the
 * two differ for providers that use their addresses abroad (the test databases hold such
 * networks).
 *
 * <p>Junk in requests (addresses that are not IP literals, odd header values, addresses the
 * database does not hold) gives {@link Location#UNKNOWN}, never an exception, and never a DNS
 * lookup. A failing database is logged once, without the address, and gives unknown too.
 *
 * <p>Thread-safe: the configuration is fixed at creation, the database reader and the cache
 * are safe for concurrent use.
 */
public final class CountryResolver implements AutoCloseable {
    /** Longer {@code X-Forwarded-For} values are read from their last this many characters. */
    static final int MAX_FORWARDED_FOR_CHARS = 2048;
    /** Longer peer texts are no address (see {@link IpLiterals}) and are not remembered. */
    private static final int MAX_PEER_CHARS = 64;
    /** At most this many {@code X-Forwarded-For} entries are read, from the right. */
    static final int MAX_HOPS = 20;

    private static final Logger LOG = Logger.getLogger(CountryResolver.class.getName());
    private static final String FORWARDED_FOR = "X-Forwarded-For";
    /** A location for each ISO 3166 code, shared by every lookup and cache entry. */
    private static final Map<String, Location> COUNTRIES = Arrays.stream(Locale.getISOCountries())
            .collect(Collectors.toUnmodifiableMap(Function.identity(), code -> new Location(code, null)));
    /** {@code CA} or {@code US-CA}: an ISO 3166-2 subdivision code, with or without its country. */
    private static final Pattern REGION = Pattern.compile("(?:([A-Z]{2})-)?([A-Z0-9]{1,3})");

    private final List<IpRange> trustedProxies;
    private final String countryHeader;
    private final String regionHeader;
    private final String databasePath;
    private final Reader database;
    private final boolean ipv4Database;
    /**
     * Database answers by address. A visitor sends several requests per page (script, consent,
     * page view), each needing the country, and a lookup walks up to 128 tree nodes and builds
     * records; the cache answers repeats from memory. Bounded in size (about a hundred bytes an
     * entry, so a few MB at most) and in age, so a burst of one-off addresses does not stay.
     */
    private final Cache<InetAddress, Location> lookups;
    /** Parsed peers by {@code getRemoteAddr()} text; a pure function of it and the trusted proxies, both fixed here. */
    private final Cache<String, Peer> peers;
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private volatile boolean closed;

    private CountryResolver(CountryConfig config, List<IpRange> trustedProxies, Reader database) {
        this.trustedProxies = trustedProxies;
        this.countryHeader = config.header();
        this.regionHeader = config.regionHeader();
        this.databasePath = config.database();
        this.database = database;
        this.ipv4Database = database != null && database.getMetadata().getIpVersion() == 4;
        this.lookups = Caffeine.newBuilder().executor(Runnable::run).maximumSize(50_000).expireAfterWrite(Duration.ofHours(1)).build();
        this.peers = Caffeine.newBuilder().executor(Runnable::run).maximumSize(10_000).build();
    }

    /**
     * A resolver for a (validated) configuration. The database, when configured, is read into
     * memory whole rather than memory-mapped: a country database is a few MB, and a copy in the
     * heap cannot be corrupted under Spor, nor crash the JVM, when an updater rewrites the file in
     * place, and it does not lock the file against replacement on Windows.
     *
     * @throws IOException when the database cannot be read or is not a MaxMind DB file
     * @throws IllegalArgumentException when a trusted proxy is not an address or CIDR range
     */
    public static CountryResolver create(CountryConfig config) throws IOException {
        List<IpRange> proxies = config.trustedProxies().stream().map(IpRange::parse).toList();
        Reader database = config.database() == null ? null : new Reader(new File(config.database()), Reader.FileMode.MEMORY);
        return new CountryResolver(config, proxies, database);
    }

    /**
     * The address of the client behind the proxies. Only when the direct peer is a trusted proxy
     * is {@code X-Forwarded-For} read: from the right, skipping trusted proxies, the first
     * untrusted entry is the client. When every entry is trusted the leftmost is taken; an entry
     * that is not an IP literal (such as {@code unknown}) ends the walk at the last good address
     * before it. To bound the work, only the last {@value #MAX_FORWARDED_FOR_CHARS} characters
     * and at most {@value #MAX_HOPS} entries are read: a chain of more trusted proxies than that
     * ends at the last one read.
     *
     * @param remoteAddr the direct peer, as from {@code getRemoteAddr()}
     * @param xForwardedFor the {@code X-Forwarded-For} value, or null; when a request has
     *     several such header lines, their values joined with commas in order (the first line
     *     alone may be the client's own invention)
     * @return the address with brackets and port removed, written the same way every time (that
     *     of {@link InetAddress#getHostAddress()}, IPv4-mapped IPv6 as IPv4), so equal addresses
     *     give equal strings; {@code remoteAddr} unchanged when it is not an IP literal
     */
    public String clientAddress(String remoteAddr, String xForwardedFor) {
        Peer peer = peer(remoteAddr);
        if (peer.address() == null) {
            return remoteAddr;
        }
        return peer.trusted() && xForwardedFor != null ? client(peer.address(), xForwardedFor).getHostAddress() : peer.literal();
    }

    /**
     * The visitor's location; see the class description for the order of sources.
     *
     * @param remoteAddr the direct peer, as from {@code getRemoteAddr()}
     * @param headers a request header's value by name, or null when absent; for
     *     {@code X-Forwarded-For} see {@link #clientAddress}
     */
    public Location resolve(String remoteAddr, UnaryOperator<String> headers) {
        Peer parsed = peer(remoteAddr);
        InetAddress peer = parsed.address();
        if (peer == null) {
            return Location.UNKNOWN;
        }
        boolean fromProxy = parsed.trusted();
        if (fromProxy && countryHeader != null) {
            Location told = fromHeaders(headers);
            if (told != null) {
                return told;
            }
        }
        if (database == null) {
            return Location.UNKNOWN;
        }
        InetAddress client = fromProxy ? client(peer, headers.apply(FORWARDED_FOR)) : peer;
        Location found = lookups.get(client, this::lookUp);
        return found == null ? Location.UNKNOWN : found;
    }

    /**
     * Closes the database. Requests still holding this resolver (a configuration reload swaps it
     * for a new one) get answers already cached, otherwise the database is treated as absent.
     */
    @Override
    public void close() {
        closed = true;
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                LOG.warning(() -> "closing the country database " + databasePath + " failed: " + e.getMessage());
            }
        }
    }

    private boolean isTrusted(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (IpRange range : trustedProxies) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The direct peer as parsed, and whether it is a trusted proxy: read once per distinct
     * {@code getRemoteAddr()} value and remembered (parsing and matching it were a tenth of a
     * consent answer, and every request needs it twice: rate limits, then the country).
     */
    private Peer peer(String remoteAddr) {
        if (remoteAddr == null || remoteAddr.length() > MAX_PEER_CHARS) {
            return Peer.NONE;
        }
        return peers.get(remoteAddr, text -> {
            InetAddress address = IpLiterals.parse(text);
            return address == null ? Peer.NONE : new Peer(address, address.getHostAddress(), isTrusted(address));
        });
    }

    /** A parsed peer address (null when it was not an IP literal), as text again, and whether it is a trusted proxy. */
    private record Peer(InetAddress address, String literal, boolean trusted) {
        static final Peer NONE = new Peer(null, null, false);
    }

    private InetAddress client(InetAddress peer, String forwardedFor) {
        if (forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        // An entry cut at the start of the tail is never reached: the walk stops at the 20th
        // entry or at one over 64 characters (not an address), long before 2 KiB.
        int length = forwardedFor.length();
        String chain = length > MAX_FORWARDED_FOR_CHARS ? forwardedFor.substring(length - MAX_FORWARDED_FOR_CHARS) : forwardedFor;
        InetAddress lastGood = peer;
        int end = chain.length();
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            int comma = chain.lastIndexOf(',', end - 1);
            InetAddress address = IpLiterals.parse(chain.substring(comma + 1, end));
            if (address == null) {
                break;
            }
            if (!isTrusted(address)) {
                return address;
            }
            lastGood = address;
            if (comma < 0) {
                break;
            }
            end = comma;
        }
        return lastGood;
    }

    private Location fromHeaders(UnaryOperator<String> headers) {
        Location country = country(headers.apply(countryHeader));
        if (country == null) {
            return null;
        }
        String region = regionHeader == null ? null : region(country.country(), headers.apply(regionHeader));
        return region == null ? country : new Location(country.country(), region);
    }

    /** The location of an ISO 3166 code, in any case; null for anything else. */
    private static Location country(String code) {
        return code == null ? null : COUNTRIES.get(code.strip().toUpperCase(Locale.ROOT));
    }

    /** {@code CA} or {@code US-CA} in {@code US} as {@code US-CA}; null for anything else. */
    private static String region(String country, String value) {
        if (value == null) {
            return null;
        }
        Matcher code = REGION.matcher(value.strip().toUpperCase(Locale.ROOT));
        if (!code.matches() || code.group(1) != null && !code.group(1).equals(country)) {
            return null;
        }
        return country + "-" + code.group(2);
    }

    /** The database's answer: unknown when it places the address nowhere; null (not cached) when it fails. */
    private Location lookUp(InetAddress address) {
        if (ipv4Database && address instanceof Inet6Address) {
            return Location.UNKNOWN;
        }
        try {
            CountryRecord.Entry entry = database.get(address, CountryRecord.Entry.class);
            Location found = entry == null || entry.country() == null ? null : country(entry.country().isoCode());
            return found == null ? Location.UNKNOWN : found;
        } catch (IOException | RuntimeException e) {
            // A closed database (see close()) is no failure. The exception's message names the
            // address, which must not reach the log: its type must do.
            if (!closed && !failureLogged.getAndSet(true)) {
                LOG.warning(() -> "the country database " + databasePath + " failed a lookup (" + e.getClass().getName()
                        + "), so the country is unknown; later failures are not logged");
            }
            return null;
        }
    }
}
