package dev.spor.consent;

import dev.spor.config.PolicyConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Consent categories as a bit set, in the fixed order of {@link PolicyConfig#CATEGORIES}. */
final class Categories {
    static final int NECESSARY = 1;
    static final int ANALYTICS = 2;
    static final int ADVERTISEMENT = 8;

    private Categories() {
    }

    /** The bits of the known names among {@code names}; {@code necessary} is always set. */
    static int of(Collection<String> names) {
        int bits = NECESSARY;
        for (String name : names) {
            int index = PolicyConfig.CATEGORIES.indexOf(name);
            if (index >= 0) {
                bits |= 1 << index;
            }
        }
        return bits;
    }

    static List<String> names(int bits) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < PolicyConfig.CATEGORIES.size(); i++) {
            if ((bits & (1 << i)) != 0) {
                names.add(PolicyConfig.CATEGORIES.get(i));
            }
        }
        return names;
    }

    static boolean has(int bits, int category) {
        return (bits & category) != 0;
    }
}
