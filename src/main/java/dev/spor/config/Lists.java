package dev.spor.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Null-tolerant list copies for config records: a missing list reads as empty. */
final class Lists {
    private Lists() {
    }

    /** An unmodifiable copy that keeps null elements, so the validator can name them. */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
