package dev.spor.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.config.PolicyConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentRulesTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final List<String> ALL = List.of("necessary", "analytics", "advertisement");

    private static PolicyConfig policy(String id, String mode, int revision, boolean gpcDeclinesAnalytics) {
        return new PolicyConfig(id, mode, null, ALL, revision, gpcDeclinesAnalytics, 30, 10, null, null);
    }

    private static ConsentRecord decided(String policy, int revision, Action action, int categories, Instant at) {
        return new ConsentRecord("AbCdEfGhIjKlMnOpQrStUv", Map.of())
                .with(policy, new ConsentRecord.Decision(revision, categories, action, "banner", at));
    }

    @Test
    void evaluate_optInUndecided_showsBannerAndGrantsOnlyNecessary() {
        Evaluation e = ConsentRules.evaluate(policy("p", "opt-in", 1, true), null, false, false, NOW);

        assertThat(e.banner()).isTrue();
        assertThat(e.analytics()).isFalse();
        assertThat(Categories.names(e.categories())).containsExactly("necessary");
    }

    @Test
    void evaluate_optOutUndecided_tracksUntilDeclined() {
        Evaluation e = ConsentRules.evaluate(policy("p", "opt-out", 1, false), null, false, false, NOW);

        assertThat(e.banner()).isTrue();
        assertThat(e.analytics()).isTrue();
    }

    @Test
    void evaluate_acceptedUnderThisPolicy_tracksWithoutBanner() {
        ConsentRecord record = decided("p", 1, Action.ACCEPT_ALL, 0b1011, NOW.minus(Duration.ofDays(1)));

        Evaluation e = ConsentRules.evaluate(policy("p", "opt-in", 1, true), record, false, true, NOW);

        assertThat(e.banner()).isFalse();
        assertThat(e.analytics()).isTrue();
    }

    @Test
    void evaluate_decisionUnderAnotherPolicy_asksAgain() {
        ConsentRecord record = decided("blog", 1, Action.ACCEPT_ALL, 0b1011, NOW.minusSeconds(60));

        Evaluation e = ConsentRules.evaluate(policy("shop", "opt-in", 1, true), record, false, true, NOW);

        assertThat(e.banner()).isTrue();
        assertThat(e.analytics()).isFalse();
    }

    @Test
    void evaluate_revisionBumped_asksAgain() {
        ConsentRecord record = decided("p", 1, Action.ACCEPT_ALL, 0b1011, NOW.minusSeconds(60));

        assertThat(ConsentRules.evaluate(policy("p", "opt-in", 2, true), record, false, true, NOW).banner()).isTrue();
    }

    @Test
    void evaluate_acceptanceExpired_asksAgain_rejectionExpiresByItsOwnLifetime() {
        PolicyConfig p = policy("p", "opt-in", 1, true);
        ConsentRecord accepted29 = decided("p", 1, Action.ACCEPT_ALL, 0b11, NOW.minus(Duration.ofDays(29)));
        ConsentRecord accepted30 = decided("p", 1, Action.ACCEPT_ALL, 0b11, NOW.minus(Duration.ofDays(30)));
        ConsentRecord rejected9 = decided("p", 1, Action.REJECT_ALL, 0b1, NOW.minus(Duration.ofDays(9)));
        ConsentRecord rejected10 = decided("p", 1, Action.REJECT_ALL, 0b1, NOW.minus(Duration.ofDays(10)));

        assertThat(ConsentRules.evaluate(p, accepted29, false, true, NOW).banner()).isFalse();
        assertThat(ConsentRules.evaluate(p, accepted30, false, true, NOW).banner()).isTrue();
        assertThat(ConsentRules.evaluate(p, rejected9, false, false, NOW).banner()).isFalse();
        assertThat(ConsentRules.evaluate(p, rejected10, false, false, NOW).banner()).isTrue();
    }

    @Test
    void evaluate_gpcWherePolicyDeclinesAnalytics_decidesOnceWithoutAnalyticsOrAds() {
        Evaluation e = ConsentRules.evaluate(policy("p", "opt-out", 1, true), null, true, false, NOW);

        assertThat(e.analytics()).isFalse();
        assertThat(e.banner()).isFalse();
        assertThat(e.gpc()).isTrue();
        assertThat(e.gpcDecision()).isNotNull();
        assertThat(e.gpcDecision().action()).isEqualTo(Action.GPC);
        assertThat(Categories.names(e.categories())).containsExactly("necessary");
    }

    @Test
    void evaluate_gpcWherePolicyKeepsAnalytics_declinesOnlyAdvertisement() {
        Evaluation e = ConsentRules.evaluate(policy("p", "opt-out", 1, false), null, true, false, NOW);

        assertThat(e.analytics()).isTrue();
        assertThat(e.gpcDecision()).isNull();
        assertThat(Categories.names(e.categories())).containsExactly("necessary", "analytics");
    }

    @Test
    void evaluate_gpcAfterAcceptingAll_stillDeclinesAdvertisement() {
        ConsentRecord record = decided("p", 1, Action.ACCEPT_ALL, 0b1011, NOW.minusSeconds(5));

        Evaluation e = ConsentRules.evaluate(policy("p", "opt-in", 1, true), record, true, true, NOW);

        assertThat(Categories.names(e.categories())).containsExactly("necessary", "analytics");
    }

    @Test
    void evaluate_nonePolicy_noBanner_tracksOnlyWhoAlreadyAcceptedElsewhere() {
        PolicyConfig none = policy("privacy", "none", 1, true);
        ConsentRecord acceptedElsewhere = decided("default", 1, Action.ACCEPT_ALL, 0b11, NOW.minusSeconds(5));

        assertThat(ConsentRules.evaluate(none, null, false, false, NOW).banner()).isFalse();
        assertThat(ConsentRules.evaluate(none, null, false, false, NOW).analytics()).isFalse();
        assertThat(ConsentRules.evaluate(none, acceptedElsewhere, false, true, NOW).analytics()).isTrue();
        assertThat(ConsentRules.evaluate(none, acceptedElsewhere, false, false, NOW).analytics()).isFalse();
    }

    @Test
    void granted_customChoice_keepsOnlyOfferedCategoriesAndNecessary() {
        PolicyConfig p = new PolicyConfig("p", "opt-in", null, List.of("necessary", "analytics"), 1, true, 1, 1, null, null);

        int bits = ConsentRules.granted(p, Action.CUSTOM, List.of("advertisement", "analytics", "bogus"));

        assertThat(Categories.names(bits)).containsExactly("necessary", "analytics");
        assertThat(Categories.names(ConsentRules.granted(p, Action.REVOKE, List.of("analytics")))).containsExactly("necessary");
    }
}
