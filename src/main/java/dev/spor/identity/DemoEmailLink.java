package dev.spor.identity;

import dev.spor.storage.StorageException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The demo's stand-in for a marketing email: {@code GET} answers with a redirect to the demo's
 * offer page carrying a freshly signed token for the demo reader's contact, as the link in a
 * real email would. Only the built-in demo registers it; the target is fixed (no redirect to
 * anywhere a client names).
 */
final class DemoEmailLink extends HttpServlet {
    static final String READER = "demo.reader@example.com";
    static final String SEND = "demo-spring-offer";

    private final transient Identities identities;
    private final String site;
    private final String target;

    DemoEmailLink(Identities identities, String site, String target) {
        this.identities = identities;
        this.site = site;
        this.target = target;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        try {
            long contact = identities.contactFor(site, READER);
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", request.getContextPath() + target + "?" + EmailTokens.PARAMETER + "="
                    + identities.token(site, contact, SEND));
        } catch (Identities.Invalid | StorageException e) {
            Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the demo email link is unavailable");
        }
    }
}
