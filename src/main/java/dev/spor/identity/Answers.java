package dev.spor.identity;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** JSON answers of the identity endpoints and the API: a stable shape, never a stack trace. */
final class Answers {
    private Answers() {
    }

    static void json(HttpServletResponse response, int status, Object value) throws IOException {
        byte[] body = IdentityRules.MAPPER.writeValueAsBytes(value);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static void error(HttpServletResponse response, int status, String reason) throws IOException {
        json(response, status, IdentityRules.MAPPER.createObjectNode().put("error", reason));
    }

    /** A client's value quoted in a reason, cut so an answer stays short. */
    static String shorten(String value) {
        String safe = value.replaceAll("[^\\x20-\\x7e]", "?");
        return "\"" + (safe.length() > 64 ? safe.substring(0, 64) + "..." : safe) + "\"";
    }
}
