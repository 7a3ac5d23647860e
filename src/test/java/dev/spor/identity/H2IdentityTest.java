package dev.spor.identity;

import dev.spor.server.SporSettings;
import java.nio.file.Path;

/** The identity rules on the embedded database. */
class H2IdentityTest extends IdentityContract {
    @Override
    SporSettings settings(Path config, Path data) {
        return new SporSettings(config, data, null, null, null, KEY);
    }
}
