package dev.spor.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.spor.storage.Database;
import dev.spor.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file store's suite; runs once per database (see {@link H2FileStoreTest} and
 * {@link PostgresFileStoreTest}).
 */
abstract class FileStoreContract {
    private static final Instant START = Instant.parse("2026-12-03T10:15:30Z");
    /** Two and a half chunks: reads and writes cross chunk boundaries. */
    private static final byte[] LARGE = bytes(FileStore.CHUNK_BYTES * 5 / 2, 1);

    private Database database;
    private MutableClock clock;
    private FileStore files;

    /** A fresh database with the schema migrated. */
    protected abstract Database openFresh() throws Exception;

    protected abstract void dispose() throws Exception;

    @BeforeEach
    void open() throws Exception {
        database = openFresh();
        clock = new MutableClock(START);
        files = new FileStore(database.dataSource(), clock);
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        dispose();
    }

    static byte[] bytes(int length, long seed) {
        byte[] content = new byte[length];
        new Random(seed).nextBytes(content);
        return content;
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private StoredFile put(String name, String type, byte[] content) throws IOException {
        return files.put(name, type, new ByteArrayInputStream(content), FileStore.DEFAULT_MAX_BYTES);
    }

    private byte[] read(StoredFile file, long offset, long length) throws IOException {
        try (InputStream in = files.open(file, offset, length)) {
            return in.readAllBytes();
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void put_largeFile_getDescribesItAndOpenReadsItBack() throws Exception {
        StoredFile stored = put("price-list.pdf", null, LARGE);

        assertThat(stored).isEqualTo(new StoredFile("price-list.pdf", "application/pdf", LARGE.length, sha256(LARGE), START,
                START));
        assertThat(files.get("price-list.pdf")).contains(stored);
        assertThat(read(stored, 0, LARGE.length)).isEqualTo(LARGE);
        assertThat(count("file_chunks")).as("stored in chunks").isEqualTo(3);
    }

    @Test
    void put_emptyFile_isStoredAndReadsAsNothing() throws Exception {
        StoredFile stored = put("empty.txt", null, new byte[0]);

        assertThat(stored.size()).isZero();
        assertThat(stored.sha256()).isEqualTo(sha256(new byte[0]));
        assertThat(read(stored, 0, 0)).isEmpty();
    }

    @Test
    void open_rangeAcrossChunkBoundaries_readsExactlyThoseBytes() throws Exception {
        StoredFile stored = put("data.bin", null, LARGE);
        int from = FileStore.CHUNK_BYTES - 10;
        int length = FileStore.CHUNK_BYTES + 20;

        assertThat(read(stored, from, length)).isEqualTo(Arrays.copyOfRange(LARGE, from, from + length));
        assertThat(read(stored, LARGE.length - 1, 1)).containsExactly(LARGE[LARGE.length - 1]);
        assertThat(read(stored, 5, 0)).isEmpty();
    }

    @Test
    void open_skipThenRead_readsFromTheSkippedPosition() throws Exception {
        StoredFile stored = put("data.bin", null, LARGE);

        try (InputStream in = files.open(stored, 0, LARGE.length)) {
            assertThat(in.skip(FileStore.CHUNK_BYTES * 2L + 3)).isEqualTo(FileStore.CHUNK_BYTES * 2L + 3);
            assertThat(in.read()).isEqualTo(LARGE[FileStore.CHUNK_BYTES * 2 + 3] & 0xff);
        }
    }

    @Test
    void open_rangeOutsideTheFile_isRefused() throws Exception {
        StoredFile stored = put("small.txt", null, bytes(10, 2));

        assertThatThrownBy(() -> files.open(stored, 5, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytes 5 to 10 are not within file small.txt of 10 bytes");
        assertThatThrownBy(() -> files.open(stored, -1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "report.PDF, application/pdf",
        "logo.png, image/png",
        "photo.jpg, image/jpeg",
        "photo.jpeg, image/jpeg",
        "anim.gif, image/gif",
        "icon.svg, image/svg+xml",
        "notes.txt, text/plain; charset=utf-8",
        "table.csv, text/csv; charset=utf-8",
        "bundle.zip, application/zip",
        "data.json, application/json",
        "clip.mp4, video/mp4",
        "song.mp3, audio/mpeg",
        "pic.webp, image/webp",
        "page.html, application/octet-stream",
        "README, application/octet-stream",
    })
    void put_withoutContentType_guessesItFromTheExtension(String name, String expected) throws Exception {
        assertThat(put(name, null, bytes(3, 3)).contentType()).isEqualTo(expected);
        assertThat(files.get(name).orElseThrow().contentType()).isEqualTo(expected);
    }

    @Test
    void put_givenContentType_isKeptAsGiven() throws Exception {
        assertThat(put("feed", "application/rss+xml; charset=\"utf-8\"", bytes(3, 3)).contentType())
                .isEqualTo("application/rss+xml; charset=\"utf-8\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pdf", "text/html\r\nSet-Cookie: a=b", "text/ html", "a/b; x"})
    void put_invalidContentType_isRefusedAndNothingStored(String type) throws Exception {
        assertThatThrownBy(() -> put("x.bin", type, bytes(3, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid content type: expected type/subtype such as application/pdf");
        assertThat(files.list()).isEmpty();
    }

    @Test
    void put_existingName_replacesContentAndKeepsCreationTime() throws Exception {
        put("price-list.pdf", null, LARGE);
        clock.advance(Duration.ofHours(1));
        byte[] replacement = bytes(100, 4);

        StoredFile stored = put("price-list.pdf", "application/x-custom", replacement);

        assertThat(stored).isEqualTo(new StoredFile("price-list.pdf", "application/x-custom", 100, sha256(replacement), START,
                START.plus(Duration.ofHours(1))));
        assertThat(files.get("price-list.pdf")).contains(stored);
        assertThat(read(stored, 0, 100)).isEqualTo(replacement);
        assertThat(count("file_chunks")).as("the old chunks are gone").isEqualTo(1);
    }

    @Test
    void open_fileReplacedWhileBeingRead_failsRatherThanMixingContents() throws Exception {
        StoredFile old = put("data.bin", null, LARGE);
        try (InputStream in = files.open(old, 0, LARGE.length)) {
            assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOf(LARGE, 10));
            put("data.bin", null, bytes(LARGE.length, 5));

            assertThat(in.readNBytes(FileStore.CHUNK_BYTES - 10)).as("the chunk already read").hasSize(FileStore.CHUNK_BYTES - 10);
            assertThatThrownBy(() -> in.read()).isInstanceOf(IOException.class)
                    .hasMessage("file data.bin was replaced or deleted while it was being read");
        }
    }

    @Test
    void put_overTheLimit_isRefusedAndKeepsNothing() throws Exception {
        assertThatThrownBy(() -> files.put("big.bin", null, new ByteArrayInputStream(LARGE), LARGE.length - 1))
                .isInstanceOf(FileTooLargeException.class)
                .hasMessage("file big.bin is larger than the limit of " + (LARGE.length - 1) + " bytes; nothing was stored")
                .satisfies(e -> assertThat(((FileTooLargeException) e).maxBytes()).isEqualTo(LARGE.length - 1));

        assertThat(files.get("big.bin")).isEmpty();
        assertThat(count("files")).isZero();
        assertThat(count("file_chunks")).isZero();
    }

    @Test
    void put_overTheLimitReplacingAFile_leavesTheOldFileIntact() throws Exception {
        StoredFile old = put("data.bin", null, bytes(10, 6));

        assertThatThrownBy(() -> files.put("data.bin", null, new ByteArrayInputStream(LARGE), FileStore.CHUNK_BYTES))
                .isInstanceOf(FileTooLargeException.class);

        assertThat(files.get("data.bin")).contains(old);
        assertThat(read(old, 0, 10)).isEqualTo(bytes(10, 6));
        assertThat(count("file_chunks")).isEqualTo(1);
    }

    @Test
    void put_exactlyAtTheLimit_isStored() throws Exception {
        StoredFile stored = files.put("data.bin", null, new ByteArrayInputStream(LARGE), LARGE.length);

        assertThat(stored.size()).isEqualTo(LARGE.length);
        assertThat(files.put("none.bin", null, new ByteArrayInputStream(new byte[0]), 0).size()).isZero();
    }

    @Test
    void put_contentFailingHalfway_keepsNothing() throws Exception {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(LARGE), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by uploader");
            }
        });

        assertThatThrownBy(() -> files.put("data.bin", null, failing, FileStore.DEFAULT_MAX_BYTES))
                .isInstanceOf(IOException.class).hasMessage("connection reset by uploader");

        assertThat(count("files")).isZero();
        assertThat(count("file_chunks")).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''| invalid file name: it is empty",
        ".htaccess| invalid file name: \".htaccess\" starts with a dot",
        "a..pdf| invalid file name: \"a..pdf\" contains \"..\"",
        "a/b.pdf| invalid file name: character '/' at position 2 is not allowed (use A-Z, a-z, 0-9, '.', '_' and '-')",
        "../etc| invalid file name: character '/' at position 3 is not allowed (use A-Z, a-z, 0-9, '.', '_' and '-')",
        "price list.pdf| invalid file name: character U+0020 at position 6 is not allowed (use A-Z, a-z, 0-9, '.', '_' and '-')",
        "prislista-å.pdf| invalid file name: character U+00E5 at position 11 is not allowed (use A-Z, a-z, 0-9, '.', '_' and '-')",
    })
    void put_badName_isRefusedWithTheReason(String name, String message) {
        assertThatThrownBy(() -> put(name, null, bytes(3, 3))).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThat(FileStore.isValidName(name)).isFalse();
    }

    @Test
    void put_nameLength_twoHundredAllowedNotMore() throws Exception {
        String longest = "a".repeat(200);

        assertThat(put(longest, null, bytes(3, 3)).name()).isEqualTo(longest);
        assertThatThrownBy(() -> put(longest + "a", null, bytes(3, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid file name: it has 201 characters, at most 200 are allowed");
        assertThatThrownBy(() -> put(null, null, bytes(3, 3))).hasMessage("invalid file name: it is empty");
    }

    @Test
    void get_badName_isRefused_unknownNameIsEmpty() {
        assertThatThrownBy(() -> files.get("../secret")).isInstanceOf(IllegalArgumentException.class);
        assertThat(files.get("missing.pdf")).isEmpty();
    }

    @Test
    void putIfAbsent_nameTaken_keepsTheStoredFileAndReadsNothing() throws Exception {
        StoredFile operators = put("price-list.pdf", null, bytes(10, 7));
        InputStream untouched = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the content must not be read");
            }
        };

        assertThat(files.putIfAbsent("price-list.pdf", null, untouched, FileStore.DEFAULT_MAX_BYTES)).isEmpty();
        assertThat(files.get("price-list.pdf")).contains(operators);
        assertThat(files.putIfAbsent("new.pdf", null, new ByteArrayInputStream(bytes(5, 8)), 100)).isPresent();
    }

    @Test
    void list_givesEveryFileByName() throws Exception {
        put("b.txt", null, bytes(1, 1));
        put("a.pdf", null, bytes(2, 1));
        put("C.png", null, bytes(3, 1));

        assertThat(files.list()).extracting(StoredFile::name, StoredFile::size)
                .containsExactly(tuple("C.png", 3L), tuple("a.pdf", 2L), tuple("b.txt", 1L));
    }

    @Test
    void delete_removesTheFileAndItsContent() throws Exception {
        put("data.bin", null, LARGE);
        put("kept.txt", null, bytes(3, 3));

        assertThat(files.delete("data.bin")).isTrue();
        assertThat(files.delete("data.bin")).isFalse();

        assertThat(files.get("data.bin")).isEmpty();
        assertThat(files.list()).extracting(StoredFile::name).containsExactly("kept.txt");
        assertThat(count("file_chunks")).isEqualTo(1);
    }

    @Test
    void put_concurrentUploadsOfOneName_waitForEachOtherAndLeaveOneWholeContent() throws Exception {
        List<byte[]> contents = List.of(bytes(FileStore.CHUNK_BYTES + 1, 10), bytes(FileStore.CHUNK_BYTES * 2, 11),
                bytes(7, 12), bytes(FileStore.CHUNK_BYTES, 13));
        ExecutorService pool = Executors.newFixedThreadPool(contents.size());
        try {
            List<Callable<StoredFile>> uploads = new ArrayList<>();
            for (byte[] content : contents) {
                uploads.add(() -> put("race.bin", null, content));
            }
            for (Future<StoredFile> upload : pool.invokeAll(uploads)) {
                assertThat(upload.get().name()).isEqualTo("race.bin");
            }
        } finally {
            pool.shutdownNow();
        }

        StoredFile file = files.get("race.bin").orElseThrow();
        byte[] content = read(file, 0, file.size());
        assertThat(contents).anySatisfy(c -> assertThat(c).isEqualTo(content));
        assertThat(sha256(content)).isEqualTo(file.sha256());
        assertThat(count("file_chunks")).isEqualTo((content.length + FileStore.CHUNK_BYTES - 1) / FileStore.CHUNK_BYTES);
    }
}
