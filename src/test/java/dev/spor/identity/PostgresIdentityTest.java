package dev.spor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The identity rules on PostgreSQL, in a schema of their own. */
class PostgresIdentityTest extends IdentityContract {
    private String schema;

    @Override
    SporSettings settings(Path config, Path data) throws Exception {
        schema = TestDatabases.newSchema();
        return TestDatabases.settings(config, data, schema, KEY);
    }

    /** The inherited suite runs against this schema, not against an embedded database. */
    @Test
    void suite_runsOnItsOwnPostgresSchema() throws Exception {
        assertThat(TestDatabases.migrationsIn(schema)).isGreaterThanOrEqualTo(7);
    }

    @Override
    @AfterAll
    void stop() throws Exception {
        super.stop();
        TestDatabases.dropSchema(schema);
    }
}
