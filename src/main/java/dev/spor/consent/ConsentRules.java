package dev.spor.consent;

import dev.spor.config.PolicyConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The consent rules (SPEC §2) as pure functions of a policy, a browser's record, its GPC
 * signal and the time. Stateless.
 *
 * <ul>
 *   <li>A decision counts only under the policy it was made under, at the same revision, and
 *       until its lifetime ({@code acceptDays} when it granted analytics, else
 *       {@code rejectDays}) has passed.
 *   <li>{@code opt-in}: nothing but necessary until accepted. {@code opt-out} and
 *       {@code notify}: analytics runs until declined; the banner shows until decided.
 *       {@code none}: no banner; analytics runs only for a browser that granted it under
 *       another policy and still holds its tracking cookie.
 *   <li>GPC always declines advertisement; where the policy says so it also declines
 *       analytics, recorded once as a {@code gpc} decision.
 * </ul>
 */
final class ConsentRules {
    private ConsentRules() {
    }

    static Evaluation evaluate(PolicyConfig policy, ConsentRecord record, boolean gpcSignal, boolean hasTrackingCookie,
            Instant now) {
        int offered = Categories.of(policy.categories());
        int gpcMask = gpcSignal ? ~Categories.ADVERTISEMENT : ~0;
        ConsentRecord.Decision decision = record == null ? null : valid(policy, record.decisions().get(policy.id()), now);
        if (!policy.showsBanner()) {
            boolean granted = hasTrackingCookie && record != null && record.decisions().values().stream()
                    .anyMatch(d -> Categories.has(d.categories(), Categories.ANALYTICS) && !expired(policy, d, now));
            int categories = Categories.NECESSARY | (granted ? Categories.ANALYTICS : 0);
            return new Evaluation(policy, decision, false, false, categories & gpcMask, null);
        }
        if (decision != null) {
            return new Evaluation(policy, decision, gpcSignal, false, decision.categories() & offered & gpcMask, null);
        }
        if (gpcSignal && policy.gpcDeclinesAnalytics()) {
            int categories = offered & ~Categories.ANALYTICS & ~Categories.ADVERTISEMENT;
            ConsentRecord.Decision gpc = new ConsentRecord.Decision(policy.revision(), categories, Action.GPC, "gpc",
                    now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            return new Evaluation(policy, gpc, true, false, categories, gpc);
        }
        int categories = policy.mode().equals("opt-in") ? Categories.NECESSARY : offered;
        return new Evaluation(policy, null, gpcSignal, true, categories & gpcMask, null);
    }

    /** The categories a decision grants under a policy. */
    static int granted(PolicyConfig policy, Action action, List<String> chosen) {
        int offered = Categories.of(policy.categories());
        return switch (action) {
            case ACCEPT_ALL -> offered;
            case CUSTOM -> Categories.of(chosen) & offered;
            case REJECT_ALL, REVOKE, GPC -> Categories.NECESSARY;
        };
    }

    /** When a decision under a policy stops counting. */
    static Instant validUntil(PolicyConfig policy, ConsentRecord.Decision decision) {
        int days = Categories.has(decision.categories(), Categories.ANALYTICS) ? policy.acceptDays() : policy.rejectDays();
        return decision.decidedAt().plus(Duration.ofDays(days));
    }

    private static ConsentRecord.Decision valid(PolicyConfig policy, ConsentRecord.Decision decision, Instant now) {
        if (decision == null || decision.revision() != policy.revision() || expired(policy, decision, now)) {
            return null;
        }
        return decision;
    }

    private static boolean expired(PolicyConfig policy, ConsentRecord.Decision decision, Instant now) {
        return !now.isBefore(validUntil(policy, decision));
    }
}
