package dev.spor.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.admin.ApiEndpoints;
import dev.spor.admin.ApiException;
import dev.spor.admin.ApiJson;
import dev.spor.admin.ApiRequest;
import dev.spor.config.FormConfig;
import dev.spor.config.PathPattern;
import dev.spor.config.SiteConfig;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity part of the site owner's API ({@code /api/v1}, authenticated and scoped by
 * {@link dev.spor.admin.ApiServlet}; another site's contact is a 404):
 * <ul>
 *   <li>{@code GET /contacts?site=&email=}, or {@code &viewed=/pricing/**&since=&until=}, or a
 *       page of all ({@code offset}, {@code limit});
 *   <li>{@code GET /contacts/{id}?site=}: the contact with its emails, visitors, page views,
 *       "possibly" page views, submissions, email clicks and history;
 *   <li>{@code GET /contacts/{id}/timeline?site=}: all of it in time order;
 *   <li>{@code GET /contacts/{id}/export?site=}: everything Spor holds about the person;
 *   <li>{@code DELETE /contacts/{id}?site=}: erasure ({@link Erasure});
 *   <li>{@code GET /visitors/{id}?site=}: one visitor's page views;
 *   <li>{@code POST /contacts/import?site=&emailColumn=} (CSV) and {@code GET /contacts/imports};
 *   <li>{@code POST /forms/{form}/submissions}: a form handled by the site's backend;
 *   <li>{@code POST /email-links}: a link for a marketing email with a signed token.
 * </ul>
 * Thread-safe.
 */
final class ContactsApi implements ApiEndpoints {
    private static final Pattern CONTACT = Pattern.compile("/contacts/([0-9]{1,18})(/timeline|/export)?");
    private static final Pattern VISITOR = Pattern.compile("/visitors/([A-Za-z0-9_-]{22})");
    private static final Pattern SUBMISSION = Pattern.compile("/forms/([^/]{1,64})/submissions");
    private static final Pattern COOKIE = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Set<String> SUBMISSION_FIELDS = Set.of("site", "eventId", "fields", "visitor", "url", "title");
    private static final Set<String> LINK_FIELDS = Set.of("site", "email", "contactId", "send", "url");
    private static final int MAX_JSON = 64 * 1024;
    private static final int MAX_PAGE = 200;

    private final Identities identities;
    private final Contacts contacts;
    private final ContactImport imports;

    ContactsApi(Identities identities, Contacts contacts, ContactImport imports) {
        this.identities = identities;
        this.contacts = contacts;
        this.imports = imports;
    }

    @Override
    public boolean handle(ApiRequest call, HttpServletResponse response) throws IOException, ApiException {
        String path = call.path();
        Matcher contact = CONTACT.matcher(path);
        Matcher visitor = VISITOR.matcher(path);
        Matcher submission = SUBMISSION.matcher(path);
        try {
            if (path.equals("/contacts/import")) {
                call.allow("POST");
                ApiJson.send(response, 200, imports.run(call.site().key(), call.http().getInputStream(),
                        call.param("emailColumn")));
            } else if (path.equals("/contacts/imports")) {
                call.allow("GET");
                ApiJson.send(response, 200, ApiJson.MAPPER.createObjectNode().putPOJO("imports",
                        imports.running().stream().filter(p -> call.key().allows(p.site())).toList()));
            } else if (path.equals("/contacts")) {
                call.allow("GET");
                ApiJson.send(response, 200, list(call));
            } else if (contact.matches()) {
                contact(call, Long.parseLong(contact.group(1)), contact.group(2), response);
            } else if (visitor.matches()) {
                call.allow("GET");
                SiteConfig site = call.site();
                ApiJson.send(response, 200, ApiJson.MAPPER.createObjectNode().put("visitorId", visitor.group(1))
                        .putPOJO("pageViews", contacts.visitorPageViews(site.key(), visitor.group(1))));
            } else if (submission.matches()) {
                call.allow("POST");
                submit(call, submission.group(1), response);
            } else if (path.equals("/email-links")) {
                call.allow("POST");
                emailLink(call, response);
            } else {
                return false;
            }
        } catch (Identities.Invalid | ContactImport.Failed e) {
            throw ApiException.bad(e.getMessage());
        }
        return true;
    }

    private ObjectNode list(ApiRequest call) throws ApiException {
        SiteConfig site = call.site();
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        String email = call.param("email");
        String viewed = call.param("viewed");
        if (email != null) {
            if (Emails.problem(email) != null) {
                throw ApiException.bad("email " + Emails.problem(email));
            }
            return answer.putPOJO("contacts", contacts.byEmail(site.key(), email).stream().toList());
        }
        int limit = call.integer("limit", 1, MAX_PAGE, 50);
        if (viewed != null) {
            PathPattern pattern = viewedPattern(viewed);
            Instant since = Optional.ofNullable(call.instant("since")).orElse(Instant.EPOCH);
            Instant until = Optional.ofNullable(call.instant("until")).orElse(Instant.parse("9999-12-31T00:00:00Z"));
            String prefix = viewed.contains("*") ? viewed.substring(0, viewed.indexOf('*')) : viewed;
            return answer.put("viewed", viewed).putPOJO("contacts", contacts.viewed(site.key(), pattern, prefix, since, until,
                    limit).stream().map(id -> contacts.byId(site.key(), id)).flatMap(Optional::stream).toList());
        }
        int offset = call.integer("offset", 0, Integer.MAX_VALUE, 0);
        return answer.put("total", contacts.count(site.key())).put("offset", offset).put("limit", limit)
                .putPOJO("contacts", contacts.list(site.key(), offset, limit));
    }

    /** A page-view filter: a path pattern of pages, never of hosted files (they are never page views). */
    static PathPattern viewedPattern(String viewed) throws ApiException {
        if (viewed.equals("/files") || viewed.startsWith("/files/") || viewed.contains("://")) {
            throw ApiException.bad("viewed must be a path pattern of pages such as /pricing/**; hosted files (/files/...)"
                    + " are never page views, so they cannot be a filter");
        }
        try {
            return PathPattern.compile(viewed);
        } catch (IllegalArgumentException e) {
            throw ApiException.bad("viewed " + e.getMessage());
        }
    }

    private void contact(ApiRequest call, long id, String part, HttpServletResponse response)
            throws IOException, ApiException {
        call.allow(part == null ? "GET, DELETE" : "GET");
        SiteConfig site = call.site();
        if (call.method().equals("DELETE")) {
            if (!identities.erase(site.key(), id)) {
                throw ApiException.notFound("no such contact");
            }
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        Contacts.Contact found = contacts.byId(site.key(), id).orElseThrow(() -> ApiException.notFound("no such contact"));
        if ("/timeline".equals(part)) {
            ApiJson.send(response, 200, ApiJson.MAPPER.createObjectNode().put("contactId", id)
                    .putPOJO("items", contacts.timeline(site.key(), id)));
            return;
        }
        ObjectNode answer = ApiJson.MAPPER.valueToTree(found);
        answer.putPOJO("pageViews", contacts.pageViews(site.key(), id));
        answer.putPOJO("possiblePageViews", contacts.possiblePageViews(site.key(), id));
        answer.putPOJO("submissions", contacts.submissions(site.key(), id));
        answer.putPOJO("emailClicks", contacts.clicks(site.key(), id));
        answer.putPOJO("history", contacts.history(site.key(), id));
        if ("/export".equals(part)) {
            answer.putPOJO("events", contacts.events(site.key(), id));
            answer.putPOJO("consentDecisions", contacts.consentDecisions(site.key(), id));
            answer.put("exportedAt", Instant.now().toString());
            response.setHeader("Content-Disposition", "attachment; filename=\"contact-" + id + ".json\"");
        }
        ApiJson.send(response, 200, answer);
    }

    private void submit(ApiRequest call, String formId, HttpServletResponse response)
            throws IOException, ApiException, Identities.Invalid {
        JsonNode json = json(call, SUBMISSION_FIELDS);
        SiteConfig site = call.site(Bodies.text(json, "site", 40, true));
        Optional<FormConfig> form = site.forms().stream().filter(f -> f.id().equals(formId)).findFirst();
        if (form.isEmpty()) {
            throw ApiException.notFound("no form " + ApiRequest.quote(formId) + " on this site");
        }
        String eventId = json.has("eventId") ? Bodies.eventId(json) : "api-" + java.util.UUID.randomUUID();
        String visitor = Bodies.text(json, "visitor", 64, false);
        boolean linked = visitor != null && COOKIE.matcher(visitor).matches() && identities.knownVisitor(site.key(), visitor);
        Identities.Result result = identities.submit(new Identities.FormSubmission(site, form.get(), eventId,
                Bodies.fields(json), linked ? visitor : null, Bodies.text(json, "url", 2048, false),
                Bodies.text(json, "title", 512, false), "api"));
        ApiJson.send(response, result.created() ? 201 : 200, ApiJson.MAPPER.createObjectNode()
                .put("contactId", result.contactId()).put("created", result.created()).put("visitorLinked", linked));
    }

    private void emailLink(ApiRequest call, HttpServletResponse response) throws IOException, ApiException, Identities.Invalid {
        JsonNode json = json(call, LINK_FIELDS);
        SiteConfig site = call.site(Bodies.text(json, "site", 40, true));
        String send = Bodies.text(json, "send", 64, true);
        if (!EmailTokens.SEND_ID.matcher(send).matches()) {
            throw ApiException.bad("send must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        URI url = pageUrl(site, Bodies.text(json, "url", 1500, true));
        long contactId;
        if (json.hasNonNull("contactId")) {
            if (!json.get("contactId").canConvertToLong() || contacts.byId(site.key(), json.get("contactId").asLong()).isEmpty()) {
                throw ApiException.notFound("no such contact");
            }
            contactId = json.get("contactId").asLong();
        } else {
            contactId = identities.contactFor(site.key(), Bodies.text(json, "email", Emails.MAX_LENGTH, true));
        }
        ApiJson.send(response, 200, ApiJson.MAPPER.createObjectNode().put("contactId", contactId)
                .put("url", identities.decorate(site.key(), contactId, send, url)));
    }

    /** An absolute http(s) URL on one of the site's own domains: links lead only to the site itself. */
    private static URI pageUrl(SiteConfig site, String url) throws ApiException {
        try {
            URI uri = new URI(url);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && site.domains().contains(host) && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ApiException.bad("url must be an http or https URL on one of the site's domains " + site.domains());
    }

    private static JsonNode json(ApiRequest call, Set<String> allowed) throws IOException, ApiException, Identities.Invalid {
        return Bodies.object(call.body(MAX_JSON), allowed);
    }
}
