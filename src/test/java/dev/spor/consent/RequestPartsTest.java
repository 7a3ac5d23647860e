package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestPartsTest {
    @Test
    void cookie_findsTheNamedOne_firstNonEmptyWins_quotesDropped() {
        String header = "spor_id_shopx=no; spor_c_shop=; a=1;spor_c_shop=v1~abc~sig ;  spor_id_shop=\"XyZ\"; spor_c_shop=later";

        assertThat(RequestParts.cookie(header, "spor_c_shop")).isEqualTo("v1~abc~sig");
        assertThat(RequestParts.cookie(header, "spor_id_shop")).isEqualTo("XyZ");
        assertThat(RequestParts.cookie(header, "a")).isEqualTo("1");
        assertThat(RequestParts.cookie(header, "spor_id")).isNull();
        assertThat(RequestParts.cookie(header, "hop")).as("never a name's tail").isNull();
        assertThat(RequestParts.cookie(null, "a")).isNull();
        assertThat(RequestParts.cookie("", "a")).isNull();
        assertThat(RequestParts.cookie("a", "a")).isNull();
        assertThat(RequestParts.cookie(";;a=2", "a")).isEqualTo("2");
    }

    @Test
    void parameter_decodesTheFirst_missingOrBadEscapesAreNull() {
        String query = "urlx=1&url=https%3A%2F%2Fwww.example.org%2Fa%3Fq%3D%C3%A9&lang=de+AT&url=second&empty=&flag";

        assertThat(RequestParts.parameter(query, "url")).isEqualTo("https://www.example.org/a?q=é");
        assertThat(RequestParts.parameter(query, "lang")).isEqualTo("de AT");
        assertThat(RequestParts.parameter(query, "empty")).isEmpty();
        assertThat(RequestParts.parameter(query, "flag")).isEmpty();
        assertThat(RequestParts.parameter(query, "rl")).isNull();
        assertThat(RequestParts.parameter(query, "missing")).isNull();
        assertThat(RequestParts.parameter(null, "url")).isNull();
        assertThat(RequestParts.parameter("url=%zz", "url")).isNull();
        assertThat(RequestParts.parameter("url=%e", "url")).isNull();
    }

    @Test
    void isOriginOf_plainOriginsFast_othersTheStrictWay() {
        List<String> domains = List.of("www.example.org", "example.org");

        assertThat(RequestParts.isOriginOf("https://www.example.org", domains)).isTrue();
        assertThat(RequestParts.isOriginOf("http://WWW.Example.org:8080", domains)).isTrue();
        assertThat(RequestParts.isOriginOf("https://evil.example", domains)).isFalse();
        assertThat(RequestParts.isOriginOf("https://www.example.org.evil.example", domains)).isFalse();
        assertThat(RequestParts.isOriginOf("ftp://www.example.org", domains)).isFalse();
        assertThat(RequestParts.isOriginOf("https://user@www.example.org", domains)).as("strict reading: host is the same")
                .isTrue();
        assertThat(RequestParts.isOriginOf("https://www.example.org/path", domains)).isTrue();
        assertThat(RequestParts.isOriginOf("null", domains)).isFalse();
        assertThat(RequestParts.isOriginOf("https://exa mple.org", domains)).isFalse();
        assertThat(RequestParts.isOriginOf("", domains)).isFalse();
        assertThat(RequestParts.isOriginOf("https://", domains)).isFalse();
        assertThat(RequestParts.isOriginOf("HTTPS://www.example.org", domains)).as("the scheme as browsers send it").isFalse();
        assertThat(RequestParts.isOriginOf("https://Example.ORG", domains)).isTrue();
        assertThat(RequestParts.isOriginOf("https://www.example.org.", domains)).isFalse();
    }

    @Test
    void isVisitorId_only22OfTheIdAlphabet() {
        assertThat(ConsentFilter.isVisitorId("AbCdEfGhIjKlMnOpQr_-09")).isTrue();
        assertThat(ConsentFilter.isVisitorId("AbCdEfGhIjKlMnOpQr_-0")).as("21").isFalse();
        assertThat(ConsentFilter.isVisitorId("AbCdEfGhIjKlMnOpQr_-090")).as("23").isFalse();
        assertThat(ConsentFilter.isVisitorId("AbCdEfGhIjKlMnOpQr_-0=")).isFalse();
        assertThat(ConsentFilter.isVisitorId("AbCdEfGhIjKlMnOpQr_-0\u00e9")).isFalse();
        assertThat(ConsentFilter.isVisitorId("")).isFalse();
    }
}
