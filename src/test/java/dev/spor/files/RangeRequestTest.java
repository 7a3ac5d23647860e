package dev.spor.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangeRequestTest {
    @ParameterizedTest(name = "{0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null                          | 100 | Whole[]",
        "bytes=0-0                     | 100 | Part[first=0, last=0]",
        "bytes=10-19                   | 100 | Part[first=10, last=19]",
        "BYTES = 10 - 19               | 100 | Part[first=10, last=19]",
        "bytes=90-                     | 100 | Part[first=90, last=99]",
        "bytes=90-99999999999999999999 | 100 | Part[first=90, last=99]",
        "bytes=-10                     | 100 | Part[first=90, last=99]",
        "bytes=-99999999999999999999   | 100 | Part[first=0, last=99]",
        "bytes=100-                    | 100 | Unsatisfiable[]",
        "bytes=99999999999999999999-   | 100 | Unsatisfiable[]",
        "bytes=-0                      | 100 | Unsatisfiable[]",
        "bytes=-5                      | 0   | Unsatisfiable[]",
        "bytes=0-                      | 0   | Unsatisfiable[]",
        "bytes=0-1,3-4                 | 100 | Whole[]",
        "bytes=5-4                     | 100 | Whole[]",
        "bytes=-                       | 100 | Whole[]",
        "bytes=a-b                     | 100 | Whole[]",
        "bytes=+1-2                    | 100 | Whole[]",
        "bytes 1-2                     | 100 | Whole[]",
        "items=1-2                     | 100 | Whole[]",
    })
    void parse_headerOfAFileOfSize_givesWhatToServe(String header, long size, String expected) {
        assertThat(RangeRequest.parse(header, size)).hasToString(expected);
    }
}
