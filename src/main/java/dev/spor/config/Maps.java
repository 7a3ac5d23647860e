package dev.spor.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Null-tolerant map copies for config records, keeping the file's order. */
final class Maps {
    private Maps() {
    }

    static <V> Map<String, V> copy(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
