package dev.spor.consent;

import java.util.Arrays;
import java.util.Optional;

/** What a visitor (or their browser's GPC signal) decided. */
enum Action {
    ACCEPT_ALL("accept-all", 'a'),
    REJECT_ALL("reject-all", 'r'),
    CUSTOM("custom", 'c'),
    REVOKE("revoke", 'v'),
    GPC("gpc", 'g');

    final String wire;
    final char code;

    Action(String wire, char code) {
        this.wire = wire;
        this.code = code;
    }

    static Optional<Action> fromWire(String text) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(text)).findFirst();
    }

    static Optional<Action> fromCode(char code) {
        return Arrays.stream(values()).filter(a -> a.code == code).findFirst();
    }
}
