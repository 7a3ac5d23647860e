package dev.spor.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The query check of {@link SafetyFilter}: escapes must be whole, and the bytes they make UTF-8. */
class SafetyFilterQueryTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "url=https://www.example.org/", "url=https%3A%2F%2Fwww.example.org%2Fa%20b", "a=%41%7e",
        "x=%C3%A6", "x=%E2%82%AC", "x=%F0%9F%98%80", "x=%c3%a6&y=%7F", "raw=æ%41"})
    void isValidQuery_wholeEscapesOfUtf8_isTrue(String query) {
        assertThat(SafetyFilter.isValidQuery(query)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "a=%4", "a=%G1", "a=%4G", "a=b%", "x=%FF", "x=%C3%28", "x=%E2%82", "x=%80",
        "x=%41%C3", "x=%ED%A0%80"})
    void isValidQuery_brokenEscapeOrNotUtf8_isFalse(String query) {
        assertThat(SafetyFilter.isValidQuery(query)).isFalse();
    }
}
