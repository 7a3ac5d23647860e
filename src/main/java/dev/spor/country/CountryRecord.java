package dev.spor.country;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;

/**
 * The one value Spor reads from a record of a MaxMind country database,
 * {@code country.iso_code}. The reader skips every other key (continent, registered country,
 * names in eight languages) without building it. The records are public only because the
 * reader creates them by reflection; this package-private holder keeps them out of reach of
 * other packages.
 */
final class CountryRecord {
    private CountryRecord() {
    }

    /** A database record; {@code country} is null for networks the database places nowhere. */
    public record Entry(@MaxMindDbParameter(name = "country") Country country) {
        @MaxMindDbConstructor
        public Entry {
        }
    }

    /** The record's {@code country} map. */
    public record Country(@MaxMindDbParameter(name = "iso_code") String isoCode) {
        @MaxMindDbConstructor
        public Country {
        }
    }
}
