package dev.spor.consent;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one browser decided, per policy, as kept in its consent cookie. Immutable.
 *
 * @param consentId random id of this browser's consent record, shown in the consent log
 * @param decisions the latest decision under each policy, by policy id
 */
record ConsentRecord(String consentId, Map<String, Decision> decisions) {
    /** The most decisions one cookie keeps; the oldest go first. */
    static final int MAX_DECISIONS = 8;

    ConsentRecord {
        decisions = Collections.unmodifiableMap(new LinkedHashMap<>(decisions));
    }

    /** This record with a new decision under a policy, replacing any earlier one. */
    ConsentRecord with(String policyId, Decision decision) {
        LinkedHashMap<String, Decision> next = new LinkedHashMap<>(decisions);
        next.remove(policyId);
        next.put(policyId, decision);
        while (next.size() > MAX_DECISIONS) {
            next.remove(next.keySet().iterator().next());
        }
        return new ConsentRecord(consentId, next);
    }

    /**
     * One decision.
     *
     * @param revision the policy revision it was made under
     * @param categories granted categories as {@link Categories} bits
     * @param action what was decided
     * @param source where: banner, settings, api or gpc
     * @param decidedAt when, to the second
     */
    record Decision(int revision, int categories, Action action, String source, Instant decidedAt) {
    }
}
