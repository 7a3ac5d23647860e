package dev.spor.files;

import dev.spor.storage.Database;
import dev.spor.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2FileStoreTest extends FileStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Database openFresh() {
        return TestDatabases.h2(dir.resolve("data"));
    }

    @Override
    protected void dispose() {
        // the temporary directory goes with the test
    }
}
