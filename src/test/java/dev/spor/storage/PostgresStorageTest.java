package dev.spor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spor.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostgresStorageTest extends StorageContract {
    private String schema;

    @Override
    protected Database openFresh() throws Exception {
        schema = TestDatabases.newSchema();
        return TestDatabases.postgres(schema);
    }

    @Override
    protected Database reopen() {
        return TestDatabases.postgres(schema);
    }

    @Override
    protected void dispose() throws Exception {
        TestDatabases.dropSchema(schema);
    }

    @Test
    void open_unreachableServer_failsWithOneLineNamingIt() {
        assertThatThrownBy(() -> Database.open(Path.of("unused"), "jdbc:postgresql://127.0.0.1:1/test?password=secret",
                "postgres", null))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("cannot reach the database (PostgreSQL at jdbc:postgresql://127.0.0.1:1/test?password=****)")
                .hasMessageNotContaining("secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void open_unsupportedUrl_saysWhatIsSupported() {
        assertThatThrownBy(() -> Database.open(Path.of("unused"), "jdbc:mysql://localhost/db", null, null))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("use jdbc:postgresql://host:port/database");
    }
}
