package dev.spor.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spor.storage.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * CSV import of contacts: a header row naming an email column ({@code email} unless told
 * otherwise) and any other columns, which become properties. The file is streamed: one record
 * in memory at a time, so a million rows import in constant memory.
 *
 * <p>One import is one transaction. A file that breaks the CSV format (or is not UTF-8, or has
 * no email column) changes nothing: the import fails with the line and the reason. Within a
 * well-formed file, a row whose email is invalid is rejected and reported with its line number
 * and reason, and every other row is applied: a new email creates a contact (counted
 * {@code created}); an email a contact already has, whether from before or from an earlier row
 * of the same file, gets the row's non-empty values merged into its properties ({@code updated}
 * when something changed, else {@code skipped}). Emails are never changed by an import.
 * Running imports are listed with the rows read so far. Thread-safe.
 */
final class ContactImport {
    /** Rejected rows listed in a report; beyond that they are only counted. */
    static final int MAX_LISTED = 1_000;
    private static final long PROGRESS_EVERY = 100_000;
    private static final Logger LOG = Logger.getLogger(ContactImport.class.getName());

    private final Transactions tx;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Progress> running = new ConcurrentHashMap<>();

    /** A running import: its id, site, start and the rows read so far. */
    record Progress(long id, String site, Instant startedAt, AtomicLong rows) {
    }

    /** A rejected row: its line in the file (1 is the header) and why. */
    record Rejected(long line, String reason) {
    }

    /** What an import did. */
    record Report(long rows, long created, long updated, long skipped, long rejectedCount, List<Rejected> rejected,
            boolean rejectedListComplete) {
    }

    /** The file cannot be imported at all; nothing was changed. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    ContactImport(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    List<Progress> running() {
        return List.copyOf(running.values());
    }

    Report run(String site, InputStream csv, String emailColumn) throws Failed {
        Progress progress = new Progress(ids.incrementAndGet(), site, clock.instant(), new AtomicLong());
        running.put(progress.id(), progress);
        try (Connection c = tx.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                Report report = rows(c, site, reader(csv), emailColumn == null ? "email" : emailColumn, progress);
                c.commit();
                LOG.info(() -> "site " + site + ": import " + progress.id() + " of " + report.rows() + " rows: "
                        + report.created() + " created, " + report.updated() + " updated, " + report.skipped()
                        + " skipped, " + report.rejectedCount() + " rejected");
                return report;
            } catch (Failed | SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (CharacterCodingException e) {
            throw new Failed("the file is not UTF-8 text; nothing was imported");
        } catch (IOException e) {
            throw new Failed("the file could not be read to its end (" + e.getMessage() + "); nothing was imported");
        } catch (SQLException e) {
            if (Transactions.isRace(e)) {
                throw new Failed("a contact was created meanwhile with one of the file's emails; nothing was imported,"
                        + " run the import again");
            }
            throw new StorageException("importing contacts failed: " + e.getMessage(), e);
        } finally {
            running.remove(progress.id());
        }
    }

    private static CsvReader reader(InputStream csv) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new CsvReader(new BufferedReader(new InputStreamReader(csv, decoder), 64 * 1024));
    }

    private Report rows(Connection c, String site, CsvReader csv, String emailColumn, Progress progress)
            throws IOException, SQLException, Failed {
        List<String> header = header(csv, emailColumn);
        int emailAt = indexOf(header, emailColumn);
        long created = 0;
        long updated = 0;
        long skipped = 0;
        long rejectedCount = 0;
        List<Rejected> rejected = new ArrayList<>();
        List<String> row;
        while ((row = next(csv)) != null) {
            long rows = progress.rows().incrementAndGet();
            if (rows % PROGRESS_EVERY == 0) {
                LOG.info(() -> "site " + site + ": import " + progress.id() + ": " + rows + " rows read");
            }
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue; // a blank line
            }
            String reason = row.size() != header.size() ? "has " + row.size() + " fields, the header " + header.size()
                    : Emails.problem(row.get(emailAt)) == null ? null : "email " + Emails.problem(row.get(emailAt));
            if (reason != null) {
                if (rejected.size() < MAX_LISTED) {
                    rejected.add(new Rejected(csv.recordLine(), reason));
                }
                rejectedCount++;
                continue;
            }
            switch (apply(c, site, header, emailAt, row)) {
                case CREATED -> created++;
                case UPDATED -> updated++;
                default -> skipped++;
            }
        }
        return new Report(progress.rows().get(), created, updated, skipped, rejectedCount, rejected,
                rejected.size() == rejectedCount);
    }

    private enum RowResult { CREATED, UPDATED, SKIPPED }

    private RowResult apply(Connection c, String site, List<String> header, int emailAt, List<String> row)
            throws SQLException {
        String email = Emails.normalize(row.get(emailAt)).orElseThrow();
        ObjectNode properties = IdentityRules.MAPPER.createObjectNode();
        for (int i = 0; i < header.size(); i++) {
            if (i != emailAt && !row.get(i).isEmpty()) {
                properties.put(header.get(i), row.get(i));
            }
        }
        Instant now = clock.instant();
        Long existing = IdentityRules.contactOf(c, site, email);
        if (existing == null) {
            IdentityRules.apply(c, new IdentityRules.Identification(site, email, null, false, properties, "import", now));
            return RowResult.CREATED;
        }
        return IdentityRules.mergeProperties(c, site, existing, properties, now) ? RowResult.UPDATED : RowResult.SKIPPED;
    }

    private static List<String> header(CsvReader csv, String emailColumn) throws IOException, Failed {
        List<String> header = next(csv);
        if (header == null) {
            throw new Failed("the file is empty: it needs a header row with an " + emailColumn + " column");
        }
        List<String> names = new ArrayList<>();
        for (String name : header) {
            String trimmed = name.trim();
            if (trimmed.isEmpty() || trimmed.length() > Identities.MAX_NAME) {
                throw new Failed("line 1: every column needs a name of 1 to " + Identities.MAX_NAME + " characters");
            }
            if (indexOf(names, trimmed) >= 0) {
                throw new Failed("line 1: the column " + Answers.shorten(trimmed) + " appears twice");
            }
            names.add(trimmed);
        }
        if (indexOf(names, emailColumn) < 0) {
            throw new Failed("line 1: no column " + Answers.shorten(emailColumn) + " (the header has "
                    + Answers.shorten(String.join(",", names)) + ")");
        }
        return names;
    }

    private static int indexOf(List<String> names, String wanted) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> next(CsvReader csv) throws IOException, Failed {
        try {
            return csv.next();
        } catch (CsvReader.Malformed e) {
            throw new Failed(e.getMessage() + "; nothing was imported");
        }
    }
}
