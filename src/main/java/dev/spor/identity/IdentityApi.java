package dev.spor.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.admin.ApiKeys;
import dev.spor.config.FormConfig;
import dev.spor.config.LiveConfig;
import dev.spor.config.SiteConfig;
import dev.spor.storage.StorageException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity part of the site owner's API, under {@code /api/v1}, each call authenticated by
 * {@code Authorization: Bearer <key>} and scoped to the key's sites (another site's data is a
 * 404, as if it did not exist):
 * <ul>
 *   <li>{@code POST /contacts/import?site=&emailColumn=}: a CSV file (see {@link ContactImport});
 *   <li>{@code GET /contacts/imports}: the imports running now and their rows read so far;
 *   <li>{@code GET /contacts?site=&email=&offset=&limit=}: contacts by email, or a page of all;
 *   <li>{@code GET /contacts/{id}?site=}: one contact with its emails, visitors, page views,
 *       "possibly this contact" page views, submissions, email clicks and history;
 *   <li>{@code POST /forms/{form}/submissions}: a form handled by the site's backend, with the
 *       visitor's tracking cookie value ({@code visitor}) as context;
 *   <li>{@code POST /email-links}: a link for a marketing email, decorated with a signed token.
 * </ul>
 * Bad input is a 400 with a reason; errors never carry a stack trace. Thread-safe.
 */
final class IdentityApi extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(IdentityApi.class.getName());
    private static final Pattern CONTACT = Pattern.compile("/contacts/([0-9]{1,18})");
    private static final Pattern SUBMISSION = Pattern.compile("/forms/([^/]{1,64})/submissions");
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Set<String> SUBMISSION_FIELDS = Set.of("site", "eventId", "fields", "visitor", "url", "title");
    private static final Set<String> LINK_FIELDS = Set.of("site", "email", "contactId", "send", "url");
    private static final int MAX_JSON = 64 * 1024;
    private static final int MAX_PAGE = 200;

    private final transient LiveConfig config;
    private final transient ApiKeys keys;
    private final transient Identities identities;
    private final transient Contacts contacts;
    private final transient ContactImport imports;

    IdentityApi(LiveConfig config, ApiKeys keys, Identities identities, Contacts contacts, ContactImport imports) {
        this.config = config;
        this.keys = keys;
        this.identities = identities;
        this.contacts = contacts;
        this.imports = imports;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            Optional<ApiKeys.Key> key = bearer(request).flatMap(keys::authenticate);
            if (key.isEmpty()) {
                response.setHeader("WWW-Authenticate", "Bearer");
                Answers.error(response, HttpServletResponse.SC_UNAUTHORIZED, "a valid API key is required");
                return;
            }
            route(key.get(), path, request, response);
        } catch (Identities.Invalid e) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        } catch (ContactImport.Failed e) {
            Answers.error(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        } catch (StorageException e) {
            LOG.warning(() -> "API " + request.getMethod() + " " + path + ": " + e.getMessage());
            response.setHeader("Retry-After", "5");
            Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "storage unavailable, try again");
        }
    }

    private void route(ApiKeys.Key key, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException, Identities.Invalid, ContactImport.Failed {
        String method = request.getMethod();
        Matcher contact = CONTACT.matcher(path);
        Matcher submission = SUBMISSION.matcher(path);
        if (path.equals("/contacts/import")) {
            allow(method, "POST", response);
            if (method.equals("POST")) {
                SiteConfig site = site(key, request.getParameter("site"));
                Answers.json(response, 200, imports.run(site.key(), request.getInputStream(),
                        request.getParameter("emailColumn")));
            }
        } else if (path.equals("/contacts/imports")) {
            allow(method, "GET", response);
            if (method.equals("GET")) {
                Answers.json(response, 200, IdentityRules.MAPPER.createObjectNode().putPOJO("imports",
                        imports.running().stream().filter(p -> key.allows(p.site())).toList()));
            }
        } else if (path.equals("/contacts")) {
            allow(method, "GET", response);
            if (method.equals("GET")) {
                listContacts(site(key, request.getParameter("site")), request, response);
            }
        } else if (contact.matches()) {
            allow(method, "GET", response);
            if (method.equals("GET")) {
                contact(site(key, request.getParameter("site")), Long.parseLong(contact.group(1)), response);
            }
        } else if (submission.matches()) {
            allow(method, "POST", response);
            if (method.equals("POST")) {
                submit(key, submission.group(1), json(request, SUBMISSION_FIELDS), response);
            }
        } else if (path.equals("/email-links")) {
            allow(method, "POST", response);
            if (method.equals("POST")) {
                emailLink(key, json(request, LINK_FIELDS), response);
            }
        } else {
            Answers.error(response, HttpServletResponse.SC_NOT_FOUND, "no such endpoint");
        }
    }

    private void listContacts(SiteConfig site, HttpServletRequest request, HttpServletResponse response)
            throws IOException, Identities.Invalid {
        String email = request.getParameter("email");
        ObjectNode answer = IdentityRules.MAPPER.createObjectNode();
        if (email != null) {
            if (Emails.problem(email) != null) {
                throw new Identities.Invalid("email " + Emails.problem(email));
            }
            answer.putPOJO("contacts", contacts.byEmail(site.key(), email).stream().toList());
        } else {
            int offset = number(request.getParameter("offset"), "offset", 0, Integer.MAX_VALUE, 0);
            int limit = number(request.getParameter("limit"), "limit", 1, MAX_PAGE, 50);
            answer.put("total", contacts.count(site.key())).put("offset", offset).put("limit", limit);
            answer.putPOJO("contacts", contacts.list(site.key(), offset, limit));
        }
        Answers.json(response, 200, answer);
    }

    private void contact(SiteConfig site, long id, HttpServletResponse response) throws IOException {
        Optional<Contacts.Contact> found = contacts.byId(site.key(), id);
        if (found.isEmpty()) {
            Answers.error(response, HttpServletResponse.SC_NOT_FOUND, "no such contact");
            return;
        }
        ObjectNode answer = IdentityRules.MAPPER.valueToTree(found.get());
        answer.putPOJO("pageViews", contacts.pageViews(site.key(), id));
        answer.putPOJO("possiblePageViews", contacts.possiblePageViews(site.key(), id));
        answer.putPOJO("submissions", contacts.submissions(site.key(), id));
        answer.putPOJO("emailClicks", contacts.clicks(site.key(), id));
        answer.putPOJO("history", contacts.history(site.key(), id));
        Answers.json(response, 200, answer);
    }

    private void submit(ApiKeys.Key key, String formId, JsonNode json, HttpServletResponse response)
            throws IOException, Identities.Invalid {
        SiteConfig site = site(key, Bodies.text(json, "site", 40, true));
        Optional<FormConfig> form = site.forms().stream().filter(f -> f.id().equals(formId)).findFirst();
        if (form.isEmpty()) {
            Answers.error(response, HttpServletResponse.SC_NOT_FOUND, "no form " + Answers.shorten(formId) + " on this site");
            return;
        }
        String eventId = json.has("eventId") ? Bodies.eventId(json) : "api-" + java.util.UUID.randomUUID();
        String visitor = Bodies.text(json, "visitor", 64, false);
        boolean linked = visitor != null && VISITOR.matcher(visitor).matches() && identities.knownVisitor(site.key(), visitor);
        Identities.Result result = identities.submit(new Identities.FormSubmission(site, form.get(), eventId,
                Bodies.fields(json), linked ? visitor : null, Bodies.text(json, "url", 2048, false),
                Bodies.text(json, "title", 512, false), "api"));
        Answers.json(response, result.created() ? 201 : 200, IdentityRules.MAPPER.createObjectNode()
                .put("contactId", result.contactId()).put("created", result.created()).put("visitorLinked", linked));
    }

    private void emailLink(ApiKeys.Key key, JsonNode json, HttpServletResponse response)
            throws IOException, Identities.Invalid {
        SiteConfig site = site(key, Bodies.text(json, "site", 40, true));
        String send = Bodies.text(json, "send", 64, true);
        if (!EmailTokens.SEND_ID.matcher(send).matches()) {
            throw new Identities.Invalid("send must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        URI url = pageUrl(site, Bodies.text(json, "url", 1500, true));
        long contactId;
        if (json.hasNonNull("contactId")) {
            if (!json.get("contactId").canConvertToLong() || contacts.byId(site.key(), json.get("contactId").asLong()).isEmpty()) {
                Answers.error(response, HttpServletResponse.SC_NOT_FOUND, "no such contact");
                return;
            }
            contactId = json.get("contactId").asLong();
        } else {
            contactId = identities.contactFor(site.key(), Bodies.text(json, "email", Emails.MAX_LENGTH, true));
        }
        Answers.json(response, 200, IdentityRules.MAPPER.createObjectNode().put("contactId", contactId)
                .put("url", identities.decorate(site.key(), contactId, send, url)));
    }

    /** An absolute http(s) URL on one of the site's own domains: links lead only to the site itself. */
    private static URI pageUrl(SiteConfig site, String url) throws Identities.Invalid {
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
        throw new Identities.Invalid("url must be an http or https URL on one of the site's domains " + site.domains());
    }

    private SiteConfig site(ApiKeys.Key key, String site) throws Identities.Invalid {
        if (site == null || site.isEmpty()) {
            throw new Identities.Invalid("site is required");
        }
        Optional<SiteConfig> found = config.get().site(site);
        if (found.isEmpty() || !key.allows(site)) {
            throw new Identities.Invalid("no site " + Answers.shorten(site) + " for this key");
        }
        return found.get();
    }

    private static JsonNode json(HttpServletRequest request, Set<String> allowed) throws IOException, Identities.Invalid {
        byte[] body = dev.spor.consent.ConsentFilter.readBounded(request, MAX_JSON);
        if (body == null) {
            throw new Identities.Invalid("body larger than " + MAX_JSON + " bytes");
        }
        return Bodies.object(body, allowed);
    }

    private static int number(String text, String name, int min, int max, int otherwise) throws Identities.Invalid {
        if (text == null) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Identities.Invalid(name + " must be a whole number from " + min + " to " + max);
    }

    /** Answers 405 unless the method is the allowed one. */
    private static void allow(String method, String allowed, HttpServletResponse response) throws IOException {
        if (!method.equals(allowed)) {
            response.setHeader("Allow", allowed);
            Answers.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed");
        }
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }
}
