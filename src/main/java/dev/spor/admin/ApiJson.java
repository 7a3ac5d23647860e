package dev.spor.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/** The API's JSON: one mapper (instants as ISO-8601 text) and the answer shapes. */
public final class ApiJson {
    /** Thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Instant.class, new ToStringSerializer(Instant.class)));

    private ApiJson() {
    }

    /** Answers {@code value} as JSON with the status. */
    public static void send(HttpServletResponse response, int status, Object value) throws IOException {
        byte[] body = MAPPER.writeValueAsBytes(value);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Answers {@code {"error": reason}} with the status. */
    public static void error(HttpServletResponse response, int status, String reason) throws IOException {
        send(response, status, MAPPER.createObjectNode().put("error", reason));
    }
}
