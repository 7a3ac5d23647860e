package dev.spor.tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON that is safe to place inside a script, itself possibly inline in HTML. */
final class ScriptJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScriptJson() {
    }

    /**
     * Serializes a value; {@code <}, {@code >} and {@code &} and the JavaScript line
     * separators are escaped so config text can never close a script element or inject HTML.
     */
    static String of(Object value) {
        try {
            return MAPPER.writeValueAsString(value)
                    .replace("<", "\\u003c")
                    .replace(">", "\\u003e")
                    .replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028")
                    .replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable: " + value, e);
        }
    }
}
