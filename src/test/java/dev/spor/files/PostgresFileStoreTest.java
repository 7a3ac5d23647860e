package dev.spor.files;

import dev.spor.storage.Database;
import dev.spor.testing.TestDatabases;

class PostgresFileStoreTest extends FileStoreContract {
    private String schema;

    @Override
    protected Database openFresh() throws Exception {
        schema = TestDatabases.newSchema();
        return TestDatabases.postgres(schema);
    }

    @Override
    protected void dispose() throws Exception {
        TestDatabases.dropSchema(schema);
    }
}
