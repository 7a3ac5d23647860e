package dev.spor.country;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocationTest {

    @Test
    void known_countryPresent_true() {
        assertThat(new Location("US", "US-CA").known()).isTrue();
        assertThat(new Location("DE", null).known()).isTrue();
        assertThat(Location.UNKNOWN.known()).isFalse();
    }

    @Test
    void new_regionOutsideCountry_rejected() {
        assertThatThrownBy(() -> new Location("US", "CA")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CA");
        assertThatThrownBy(() -> new Location("US", "GB-ENG")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Location(null, "US-CA")).isInstanceOf(IllegalArgumentException.class);
    }
}
