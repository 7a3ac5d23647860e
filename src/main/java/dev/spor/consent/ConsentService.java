package dev.spor.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.spor.config.BannerTexts;
import dev.spor.config.ConfigSnapshot;
import dev.spor.config.PolicyConfig;
import dev.spor.config.SiteConfig;
import dev.spor.country.Location;
import dev.spor.tracking.PageView;
import dev.spor.tracking.PageViewStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Consent decisions and their effects: evaluating a browser's state under the policy in force,
 * recording decisions in the consent log, creating visitors, storing the accepting page as the
 * first page view. It never touches HTTP; {@link ConsentFilter} turns its results into cookies.
 * Thread-safe.
 */
final class ConsentService {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] ANSWER_HEAD = "{\"policy\":".getBytes(StandardCharsets.UTF_8);
    /**
     * The answer's {@code consentMode}: the Google Consent Mode v2 signals the tracker passes to
     * {@code gtag("consent", "update", ...)} as they are, indexed by analytics (1) and the
     * advertisement category (2). {@code analytics_storage} follows analytics; the three ad
     * signals follow the advertisement category; functionality grants Google nothing.
     */
    private static final String[] CONSENT_MODE = new String[4];
    /** 10000-01-01T00:00:00Z: from then on {@link Instant#toString()} writes a year of five digits and a sign. */
    private static final long MAX_FOUR_DIGIT_YEAR_SECOND = 253_402_300_800L;

    static {
        for (int i = 0; i < CONSENT_MODE.length; i++) {
            String ads = (i & 2) != 0 ? "granted" : "denied";
            CONSENT_MODE[i] = ",\"consentMode\":{\"analytics_storage\":\"" + ((i & 1) != 0 ? "granted" : "denied")
                    + "\",\"ad_storage\":\"" + ads + "\",\"ad_user_data\":\"" + ads + "\",\"ad_personalization\":\""
                    + ads + "\"}";
        }
    }

    private final ConsentCookie cookies;
    private final IpHasher ipHasher;
    private final ConsentLog log;
    private final PageViewStore pageViews;
    private final Clock clock;
    private final SecureRandom random;
    /** Policy part of the answer per (snapshot, site, policy, language): built once, served many times. */
    private final Cache<PolicyKey, byte[]> policyJson =
            Caffeine.newBuilder().executor(Runnable::run).maximumSize(2_000).expireAfterAccess(Duration.ofMinutes(30))
                    .recordStats().build();
    /**
     * The language choice and policy part per (snapshot, site, policy, page language,
     * Accept-Language): browsers send a few hundred distinct headers, each at most 500 chars here.
     */
    private final Cache<AnswerKey, PolicyAnswer> answers =
            Caffeine.newBuilder().executor(Runnable::run).maximumSize(2_000).expireAfterAccess(Duration.ofMinutes(30))
                    .recordStats().build();

    ConsentService(ConsentCookie cookies, IpHasher ipHasher, ConsentLog log, PageViewStore pageViews, Clock clock,
            SecureRandom random) {
        this.cookies = cookies;
        this.ipHasher = ipHasher;
        this.log = log;
        this.pageViews = pageViews;
        this.clock = clock;
        this.random = random;
    }

    /** The cache of serialized policies, for its statistics. */
    Cache<?, ?> policyJson() {
        return policyJson;
    }

    /** The cache of language choices with their policy parts, for its statistics. */
    Cache<?, ?> answers() {
        return answers;
    }

    ConsentCookie cookies() {
        return cookies;
    }

    Instant now() {
        return clock.instant();
    }

    /** A new random id of 128 bits, base64url (22 characters): tracking cookies and consent ids. */
    String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Everything known about one request.
     *
     * @param site the site
     * @param page the page the request is about
     * @param location the visitor's country and region
     * @param record the browser's consent record, or null
     * @param visitorId the browser's tracking cookie, or null
     * @param gpc whether the browser sent {@code Sec-GPC: 1}
     * @param ipHash the salted hash of the client address, computed when asked for (a log entry)
     * @param userAgent the browser family
     */
    record Request(SiteConfig site, PageContext page, Location location, ConsentRecord record, String visitorId,
            boolean gpc, Supplier<String> ipHash, String userAgent) {
    }

    /**
     * What the filter must do after a request.
     *
     * @param evaluation the state now
     * @param record the record to store in the consent cookie, or null to leave it as it is
     * @param newVisitorId a tracking cookie to set, or null
     * @param deleteVisitor whether to delete the tracking cookie
     */
    record Outcome(Evaluation evaluation, ConsentRecord record, String newVisitorId, boolean deleteVisitor) {
    }

    String hashIp(String address) {
        return ipHasher.hash(address, clock.instant());
    }

    /** A browser asks what applies to its page; GPC may decide for it, opt-out starts tracking. */
    Outcome state(Request request, String language) {
        PolicyConfig policy = PolicyMatcher.policyFor(request.site(), request.page().host(), request.page().path(),
                request.location());
        Instant now = clock.instant();
        Evaluation eval = ConsentRules.evaluate(policy, request.record(), request.gpc(), request.visitorId() != null, now);
        if (eval.gpcDecision() != null) {
            ConsentRecord record = recordOf(request).with(policy.id(), eval.gpcDecision());
            append(request, policy, record, eval.gpcDecision(), language);
            return new Outcome(eval, record, null, request.visitorId() != null);
        }
        if (eval.analytics() && request.visitorId() == null && policy.showsBanner()) {
            String visitor = newId();
            pageViews.addVisitor(visitor, request.site().key(), now);
            return new Outcome(eval, null, visitor, false);
        }
        return new Outcome(eval, null, null, false);
    }

    /**
     * A browser decides. The decision is logged; when it grants analytics the browser gets (or
     * keeps) its tracking cookie and the page it decided on is stored as a page view at once.
     */
    Outcome decide(Request request, Action action, List<String> chosen, String source, String language,
            Optional<PageView> acceptingPage) {
        PolicyConfig policy = PolicyMatcher.policyFor(request.site(), request.page().host(), request.page().path(),
                request.location());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        int granted = ConsentRules.granted(policy, action, chosen);
        if (request.gpc()) {
            granted &= ~Categories.ADVERTISEMENT;
        }
        ConsentRecord.Decision decision = new ConsentRecord.Decision(policy.revision(), granted, action, source, now);
        ConsentRecord record = recordOf(request).with(policy.id(), decision);
        boolean analytics = Categories.has(granted, Categories.ANALYTICS);
        String visitor = analytics ? request.visitorId() : null;
        String newVisitor = null;
        if (analytics && visitor == null) {
            visitor = newVisitor = newId();
            pageViews.addVisitor(visitor, request.site().key(), now);
        }
        append(request, policy, record, decision, language, visitor);
        if (analytics && acceptingPage.isPresent()) {
            PageView page = acceptingPage.get();
            pageViews.addAll(List.of(new PageView(page.site(), page.eventId(), visitor, page.url(), page.path(), page.title(),
                    page.referrer(), page.country(), clock.instant(), page.clientTime(), page.uaFamily(), page.bot())));
        }
        Evaluation eval = ConsentRules.evaluate(policy, record, request.gpc(), visitor != null, clock.instant());
        return new Outcome(eval, record, newVisitor, !analytics);
    }

    private ConsentRecord recordOf(Request request) {
        return request.record() != null ? request.record() : new ConsentRecord(newId(), java.util.Map.of());
    }

    private void append(Request request, PolicyConfig policy, ConsentRecord record, ConsentRecord.Decision decision,
            String language) {
        append(request, policy, record, decision, language, request.visitorId());
    }

    private void append(Request request, PolicyConfig policy, ConsentRecord record, ConsentRecord.Decision decision,
            String language, String visitorId) {
        log.append(new ConsentLog.Entry(record.consentId(), request.site().key(), policy.id(), policy.revision(),
                decision.action().wire, String.join(",", Categories.names(decision.categories())), decision.source(),
                request.page().host(), request.page().path(), request.location().country(), request.location().region(),
                language, decision.decidedAt(), ConsentRules.validUntil(policy, decision), request.ipHash().get(),
                request.userAgent(), visitorId));
    }

    /**
     * The policy's part of an answer in the language chosen for a page and a browser, and that
     * language (for the consent log).
     *
     * @param language the language the texts are in
     * @param json the policy as a JSON object, serialized (UTF-8); never changed
     */
    record PolicyAnswer(String language, byte[] json) {
    }

    /**
     * The policy's part of the answer for this page language and {@code Accept-Language}: chosen,
     * merged and serialized once per config, site, policy and pair of language inputs, then
     * served from a bounded cache. Inputs the language choice ignores (junk tags, headers over
     * its bound) are keyed as absent, so they cannot fill the cache with distinct entries.
     */
    PolicyAnswer policyAnswer(ConfigSnapshot snapshot, SiteConfig site, PolicyConfig policy, String pageLang,
            String acceptLanguage) {
        String lang = BannerLanguage.isTag(pageLang) ? pageLang : null;
        String accept = acceptLanguage != null && acceptLanguage.length() <= BannerLanguage.MAX_ACCEPT_LANGUAGE
                ? acceptLanguage : null;
        return answers.get(new AnswerKey(snapshot, site.key(), policy.id(), lang, accept), key -> {
            BannerLanguage.Chosen chosen = BannerLanguage.choose(site, policy, lang, accept);
            byte[] json = policyJson.get(new PolicyKey(snapshot, site.key(), policy.id(), chosen.language()),
                    k -> serialize(policyNode(policy, chosen)));
            return new PolicyAnswer(chosen.language(), json);
        });
    }

    /**
     * The JSON answer the script receives, serialized: the policy part (see
     * {@link #policyAnswer}) as cached, then this browser's state. Written by hand: every value
     * after the policy is a name, a flag or an instant from a closed set that needs no escaping.
     */
    byte[] answer(PolicyAnswer policy, Evaluation eval) {
        StringBuilder state = new StringBuilder(288);
        ConsentRecord.Decision decision = eval.decision();
        if (decision == null) {
            state.append(",\"decision\":null");
        } else {
            state.append(",\"decision\":{\"action\":\"").append(decision.action().wire).append("\",\"categories\":");
            names(state, decision.categories());
            state.append(",\"at\":\"");
            appendInstant(state, decision.decidedAt());
            state.append("\",\"source\":\"").append(decision.source()).append("\"}");
        }
        state.append(",\"gpc\":").append(eval.gpc()).append(",\"banner\":").append(eval.banner())
                .append(",\"analytics\":").append(eval.analytics()).append(",\"categories\":");
        names(state, eval.categories());
        state.append(CONSENT_MODE[(eval.analytics() ? 1 : 0)
                | (Categories.has(eval.categories(), Categories.ADVERTISEMENT) ? 2 : 0)]).append('}');
        byte[] tail = state.toString().getBytes(StandardCharsets.UTF_8);
        byte[] json = policy.json();
        byte[] answer = new byte[ANSWER_HEAD.length + json.length + tail.length];
        System.arraycopy(ANSWER_HEAD, 0, answer, 0, ANSWER_HEAD.length);
        System.arraycopy(json, 0, answer, ANSWER_HEAD.length, json.length);
        System.arraycopy(tail, 0, answer, ANSWER_HEAD.length + json.length, tail.length);
        return answer;
    }

    /**
     * Appends {@code at} as {@link Instant#toString()} would: a decision's instant is whole
     * seconds, written here field by field, since the formatter behind {@code toString} was a
     * tenth of this endpoint's own time. Any other instant goes through {@code toString}.
     */
    static void appendInstant(StringBuilder out, Instant at) {
        long seconds = at.getEpochSecond();
        if (at.getNano() != 0 || seconds < 0 || seconds >= MAX_FOUR_DIGIT_YEAR_SECOND) {
            out.append(at);
            return;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        out.append(t.getYear()).append('-');
        twoDigits(out, t.getMonthValue()).append('-');
        twoDigits(out, t.getDayOfMonth()).append('T');
        twoDigits(out, t.getHour()).append(':');
        twoDigits(out, t.getMinute()).append(':');
        twoDigits(out, t.getSecond()).append('Z');
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** A JSON array of the category names of {@code bits} (names from {@link Categories}: plain words). */
    private static void names(StringBuilder out, int bits) {
        out.append('[');
        boolean first = true;
        for (String name : Categories.names(bits)) {
            out.append(first ? "\"" : ",\"").append(name).append('"');
            first = false;
        }
        out.append(']');
    }

    private static byte[] serialize(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a policy answer failed", e); // a tree of plain values: cannot happen
        }
    }

    private static ObjectNode policyNode(PolicyConfig policy, BannerLanguage.Chosen chosen) {
        ObjectNode node = JSON.objectNode();
        node.put("id", policy.id());
        node.put("revision", policy.revision());
        node.put("mode", policy.mode());
        var categories = node.putArray("categories");
        Categories.names(Categories.of(policy.categories())).forEach(categories::add);
        node.put("lang", chosen.language());
        if (!policy.showsBanner()) {
            node.putNull("texts");
            return node;
        }
        BannerTexts t = chosen.texts();
        ObjectNode texts = node.putObject("texts");
        texts.put("title", t.title());
        texts.put("description", t.description());
        texts.put("acceptAll", t.acceptAll());
        texts.put("rejectAll", t.rejectAll());
        texts.put("settings", t.settings());
        texts.put("save", t.save());
        texts.put("privacyLabel", t.privacyLabel());
        texts.put("privacyUrl", t.privacyUrl());
        texts.put("gpcNotice", t.gpcNotice());
        ObjectNode names = texts.putObject("categories");
        for (String category : Categories.names(Categories.of(policy.categories()))) {
            BannerTexts.CategoryTexts words = t.categories().get(category);
            ObjectNode c = names.putObject(category);
            c.put("name", words == null ? category : words.name());
            c.put("description", words == null ? null : words.description());
        }
        return node;
    }

    private record PolicyKey(ConfigSnapshot snapshot, String site, String policy, String language) {
    }

    private record AnswerKey(ConfigSnapshot snapshot, String site, String policy, String pageLang, String acceptLanguage) {
    }
}
