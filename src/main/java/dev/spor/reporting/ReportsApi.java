package dev.spor.reporting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.admin.ApiEndpoints;
import dev.spor.admin.ApiException;
import dev.spor.admin.ApiJson;
import dev.spor.admin.ApiRequest;
import dev.spor.config.SiteConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reporting part of the site owner's API ({@code /api/v1}, authenticated and scoped by
 * {@link dev.spor.admin.ApiServlet}; another site's is a 404):
 * <ul>
 *   <li>{@code GET /reports/pageviews?site=&from=&to=&groupBy=day|path|country|referrer&tz=&limit=}:
 *       page views and distinct tracking cookies ({@link PageViewReport});
 *   <li>{@code GET /reports/consent?site=&from=&to=&tz=}: decisions per policy revision and action,
 *       with the acceptance rate ({@link ConsentReport});
 *   <li>{@code GET /consent-log?site=&from=&to=&offset=&limit=&format=json|csv}: the log itself;
 *   <li>{@code GET /retention[?site=]}: each site's retention and the job's last run;
 *       {@code POST /retention/run?site=} runs it for the site now.
 * </ul>
 * Thread-safe.
 */
final class ReportsApi implements ApiEndpoints {
    /** Said with every page-view report: what the figures are, and what they are not. */
    static final String NOTE = "pageViews counts page views; cookies counts distinct tracking cookies, not people: one"
            + " person can hold many cookies (several browsers or devices, cleared cookies) and one shared browser can hold"
            + " many people. Only browsers that allowed analytics are counted; bots and automated browsers are left out, and"
            + " hosted files (/files/...) are never page views.";
    private static final int DEFAULT_TOP = 20;
    private static final int MAX_TOP = 200;
    private static final int DEFAULT_LOG_PAGE = 100;
    private static final int MAX_LOG_PAGE = 1_000;

    private final PageViewReport pageViews;
    private final ConsentReport consent;
    private final ConsentLogRows log;
    private final Retention retention;
    private final Clock clock;

    ReportsApi(PageViewReport pageViews, ConsentReport consent, ConsentLogRows log, Retention retention, Clock clock) {
        this.pageViews = pageViews;
        this.consent = consent;
        this.log = log;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public boolean handle(ApiRequest call, HttpServletResponse response) throws IOException, ApiException {
        switch (call.path()) {
            case "/reports/pageviews" -> {
                call.allow("GET");
                ApiJson.send(response, 200, pageViews(call));
            }
            case "/reports/consent" -> {
                call.allow("GET");
                ApiJson.send(response, 200, consent(call));
            }
            case "/consent-log" -> {
                call.allow("GET");
                consentLog(call, response);
            }
            case "/retention" -> {
                call.allow("GET");
                ApiJson.send(response, 200, retention(call));
            }
            case "/retention/run" -> {
                call.allow("POST");
                runRetention(call, response);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private ObjectNode pageViews(ApiRequest call) throws ApiException {
        SiteConfig site = call.site();
        PageViewReport.GroupBy groupBy = groupBy(call.param("groupBy"));
        Range range = Range.of(call, clock);
        ObjectNode answer = ApiJson.MAPPER.createObjectNode().put("site", site.key()).put("from", range.from().toString())
                .put("to", range.to().toString()).put("groupBy", groupBy.wire()).put("tz", range.zone().getId())
                .put("note", NOTE);
        List<PageViewReport.Row> rows;
        if (groupBy == PageViewReport.GroupBy.DAY) {
            long days = ChronoUnit.DAYS.between(range.firstDay(), range.lastDay()) + 1;
            if (days > PageViewReport.MAX_DAYS) {
                throw ApiException.bad("from and to span " + days + " days; groupBy=day covers at most "
                        + PageViewReport.MAX_DAYS);
            }
            rows = pageViews.byDay(site.key(), range);
            answer.putNull("limit");
        } else {
            int limit = call.integer("limit", 1, MAX_TOP, DEFAULT_TOP);
            rows = pageViews.top(site.key(), range, groupBy, limit);
            answer.put("limit", limit);
        }
        answer.putPOJO("total", pageViews.total(site.key(), range));
        return answer.putPOJO("rows", rows);
    }

    private static PageViewReport.GroupBy groupBy(String text) throws ApiException {
        if (text == null || text.isEmpty()) {
            return PageViewReport.GroupBy.DAY;
        }
        return Arrays.stream(PageViewReport.GroupBy.values()).filter(g -> g.wire().equals(text)).findFirst()
                .orElseThrow(() -> ApiException.bad("groupBy must be one of day, path, country, referrer, not "
                        + ApiRequest.quote(text)));
    }

    private ObjectNode consent(ApiRequest call) throws ApiException {
        SiteConfig site = call.site();
        Range range = Range.of(call, clock);
        return ApiJson.MAPPER.createObjectNode().put("site", site.key()).put("from", range.from().toString())
                .put("to", range.to().toString()).put("tz", range.zone().getId()).put("definition", ConsentReport.DEFINITION)
                .putPOJO("policies", consent.byPolicy(site.key(), range));
    }

    private void consentLog(ApiRequest call, HttpServletResponse response) throws IOException, ApiException {
        SiteConfig site = call.site();
        Range range = Range.whole(call);
        String format = Optional.ofNullable(call.param("format")).orElse("json").toLowerCase(Locale.ROOT);
        if (format.equals("csv")) {
            response.setStatus(200);
            response.setContentType("text/csv; charset=utf-8");
            response.setHeader("Content-Disposition", "attachment; filename=\"consent-log-" + site.key() + ".csv\"");
            Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
            log.csv(site.key(), range, out);
            out.flush();
            return;
        }
        if (!format.equals("json")) {
            throw ApiException.bad("format must be json or csv, not " + ApiRequest.quote(format));
        }
        int offset = call.integer("offset", 0, Integer.MAX_VALUE, 0);
        int limit = call.integer("limit", 1, MAX_LOG_PAGE, DEFAULT_LOG_PAGE);
        ObjectNode answer = ApiJson.MAPPER.createObjectNode().put("site", site.key())
                .put("from", call.param("from") == null ? null : range.from().toString())
                .put("to", call.param("to") == null ? null : range.to().toString())
                .put("total", log.count(site.key(), range)).put("offset", offset).put("limit", limit);
        ApiJson.send(response, 200, answer.putPOJO("rows", log.page(site.key(), range, offset, limit)));
    }

    private ObjectNode retention(ApiRequest call) throws ApiException {
        List<SiteConfig> sites = call.param("site") != null ? List.of(call.site())
                : call.config().sites().stream().filter(s -> call.key().allows(s.key())).toList();
        List<Retention.Run> runs = retention.lastRuns(sites.stream().map(SiteConfig::key).toList());
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        var list = answer.putArray("sites");
        for (SiteConfig site : sites) {
            list.addObject().put("site", site.key()).put("retentionDays", site.retentionDays())
                    .putPOJO("lastRun", runs.stream().filter(r -> r.site().equals(site.key())).findFirst().orElse(null));
        }
        return answer;
    }

    private void runRetention(ApiRequest call, HttpServletResponse response) throws IOException, ApiException {
        SiteConfig site = call.site();
        Retention.Run run = retention.run(site).orElseThrow(() -> new ApiException(409,
                "the retention job of site " + ApiRequest.quote(site.key()) + " is running on another node; try again later"));
        ApiJson.send(response, 200, run);
    }
}
