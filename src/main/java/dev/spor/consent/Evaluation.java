package dev.spor.consent;

import dev.spor.config.PolicyConfig;

/**
 * What a browser may do on a page right now, under the policy in force there.
 *
 * @param policy the policy in force
 * @param decision the browser's valid decision under it (same revision, not expired), or null
 * @param gpc whether the browser's Global Privacy Control signal was honoured
 * @param banner whether the banner must be shown unasked
 * @param categories granted categories ({@link Categories} bits)
 * @param gpcDecision a decision that the GPC signal makes now and that must be recorded, or null
 */
record Evaluation(PolicyConfig policy, ConsentRecord.Decision decision, boolean gpc, boolean banner, int categories,
        ConsentRecord.Decision gpcDecision) {

    boolean analytics() {
        return Categories.has(categories, Categories.ANALYTICS);
    }
}
