package dev.spor.reporting;

import dev.spor.server.SporSettings;
import dev.spor.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/** Reports, consent log and retention on PostgreSQL, in a schema of their own. */
class PostgresReportsTest extends ReportsContract {
    private String schema;

    @Override
    SporSettings settings(Path config, Path data) throws Exception {
        schema = TestDatabases.newSchema();
        return TestDatabases.settings(config, data, schema, KEY);
    }

    @Override
    @AfterAll
    void stop() throws Exception {
        super.stop();
        TestDatabases.dropSchema(schema);
    }
}
