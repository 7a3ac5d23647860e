package dev.spor.country;

/**
 * Where a visitor is, as far as Spor can tell: a country and, when a trusted proxy says so, a
 * region within it. Immutable.
 *
 * @param country an upper-case ISO 3166-1 alpha-2 code such as {@code DE}, or null when unknown
 * @param region an ISO 3166-2 subdivision of {@code country} such as {@code US-CA}, or null
 */
public record Location(String country, String region) {
    public static final Location UNKNOWN = new Location(null, null);

    public Location {
        if (region != null && (country == null || !region.startsWith(country + "-"))) {
            throw new IllegalArgumentException("region " + region + " does not lie in country " + country);
        }
    }

    /** Whether the country is known. */
    public boolean known() {
        return country != null;
    }
}
