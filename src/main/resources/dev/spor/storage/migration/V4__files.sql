-- Files the site owner hosts on Spor (served at /files/{name}). They live in the database so
-- every node, and the WAR and the standalone server alike, see the same files.
-- Written in the SQL that PostgreSQL and H2 (in PostgreSQL mode) both accept.

CREATE TABLE files (
    -- 1 to 200 of A-Z a-z 0-9 . _ -, not starting with a dot, without ".."
    name         VARCHAR(200)             NOT NULL PRIMARY KEY,
    content_type VARCHAR(100)             NOT NULL,
    -- bytes
    size         BIGINT                   NOT NULL,
    -- hex SHA-256 of the content; the strong ETag
    sha256       VARCHAR(64)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The content in pieces of at most 256 KiB, so that neither database nor Spor ever holds a
-- whole file in memory (H2 keeps a BYTEA value in its row, PostgreSQL's driver reads one
-- whole), a range touches only its pieces, and no connection is held while a client downloads.
CREATE TABLE file_chunks (
    name     VARCHAR(200) NOT NULL REFERENCES files (name) ON DELETE CASCADE,
    -- offset of the chunk's first byte in the file
    position BIGINT       NOT NULL,
    content  BYTEA        NOT NULL,
    PRIMARY KEY (name, position)
);
