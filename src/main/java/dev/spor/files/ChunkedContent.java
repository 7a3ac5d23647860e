package dev.spor.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A range of a stored file's content, fetched one chunk at a time as it is read: memory holds
 * one chunk, and no database connection is kept between reads. Not thread-safe.
 */
final class ChunkedContent extends InputStream {
    private final FileStore store;
    private final StoredFile file;
    private final long end;
    private long next;
    private FileStore.Chunk chunk;

    ChunkedContent(FileStore store, StoredFile file, long offset, long end) {
        this.store = store;
        this.file = file;
        this.next = offset;
        this.end = end;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (next >= end) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        if (chunk == null || next >= chunk.position() + chunk.content().length) {
            chunk = store.chunkAt(file, next);
        }
        int from = (int) (next - chunk.position());
        int n = (int) Math.min(Math.min(length, chunk.content().length - from), end - next);
        System.arraycopy(chunk.content(), from, into, offset, n);
        next += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - next));
        next += skipped;
        return skipped;
    }

    @Override
    public int available() {
        if (chunk == null || next < chunk.position() || next >= chunk.position() + chunk.content().length) {
            return 0;
        }
        return (int) (Math.min(chunk.position() + chunk.content().length, end) - next);
    }

    @Override
    public void close() {
        chunk = null;
        next = end;
    }
}
