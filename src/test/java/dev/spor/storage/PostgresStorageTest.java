package dev.spor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spor.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
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

    /** PostgreSQL keeps the foreign key and its one visitor index: its B-tree inserts cost no page rewrite per commit. */
    @Test
    void pageViews_haveOneVisitorIndex_andTheForeignKeyHolds() throws Exception {
        assertThat(visitorIndexes("page_views")).hasSize(1);
        pageViews.addVisitor("v-kept", "shop", NOW);
        pageViews.addAll(List.of(view("v-kept", "e-kept-1", "/a")));
        assertThatThrownBy(() -> pageViews.addAll(List.of(view("v-unknown", "e-orphan-1", "/b"))))
                .isInstanceOf(StorageException.class);
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM visitors WHERE id = 'v-kept'");
        }
        assertThat(count("page_views")).isZero();
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
