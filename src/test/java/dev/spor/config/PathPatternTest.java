package dev.spor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathPatternTest {

    @Test
    void matches_doubleStar_coversTheFolderAndEverythingBelow() {
        PathPattern blog = PathPattern.compile("/blog/**");

        assertThat(blog.matches("/blog")).isTrue();
        assertThat(blog.matches("/blog/")).isTrue();
        assertThat(blog.matches("/blog/2026/spor")).isTrue();
        assertThat(blog.matches("/blogger")).isFalse();
        assertThat(blog.matches("/en/blog")).isFalse();
    }

    @Test
    void matches_literal_isExact() {
        PathPattern privacy = PathPattern.compile("/privacy");

        assertThat(privacy.matches("/privacy")).isTrue();
        assertThat(privacy.matches("/privacy/")).isFalse();
        assertThat(privacy.matches("/privacy-policy")).isFalse();
    }

    @Test
    void matches_singleStar_staysWithinOneSegment() {
        PathPattern docs = PathPattern.compile("/docs/*.html");

        assertThat(docs.matches("/docs/a.html")).isTrue();
        assertThat(docs.matches("/docs/a/b.html")).isFalse();
        assertThat(PathPattern.compile("/*/pricing").matches("/en/pricing")).isTrue();
    }

    @Test
    void matches_regexCharacters_areLiteral() {
        assertThat(PathPattern.compile("/a.b").matches("/axb")).isFalse();
        assertThat(PathPattern.compile("/a+b").matches("/a+b")).isTrue();
    }

    @Test
    void compile_badPatterns_sayWhy() {
        assertThatThrownBy(() -> PathPattern.compile("blog")).hasMessage("must start with \"/\"");
        assertThatThrownBy(() -> PathPattern.compile("/a/**/b")).hasMessage("\"**\" is allowed only as the last segment");
        assertThatThrownBy(() -> PathPattern.compile("/a**")).hasMessage("\"**\" must be a whole segment");
        assertThatThrownBy(() -> PathPattern.compile("/a b")).hasMessage("may contain only URL path characters");
    }
}
