package dev.spor.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StorageTest extends StorageContract {
    @TempDir
    Path dir;

    @Override
    protected Database openFresh() {
        return TestDatabases.h2(dir.resolve("data"));
    }

    @Override
    protected Database reopen() {
        return TestDatabases.h2(dir.resolve("data"));
    }

    @Override
    protected void dispose() {
        // the temporary directory goes with the test
    }

    @Test
    void open_missingDataDirectory_isCreated() {
        Path nested = dir.resolve("a/b/c");
        try (Database created = TestDatabases.h2(nested)) {
            assertThat(Files.isDirectory(nested)).isTrue();
            assertThat(created.description()).contains(nested.toString());
        }
    }
}
