package dev.spor.reporting;

import dev.spor.server.SporSettings;
import java.nio.file.Path;

/** Reports, consent log and retention on the embedded database. */
class H2ReportsTest extends ReportsContract {
    @Override
    SporSettings settings(Path config, Path data) {
        return new SporSettings(config, data, null, null, null, KEY);
    }
}
