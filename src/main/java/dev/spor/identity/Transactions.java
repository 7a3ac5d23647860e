package dev.spor.identity;

import dev.spor.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs identity changes in one transaction each, retried when they lost a race: two
 * submissions of one new email at once both try to create it, and the unique key on
 * {@code contact_emails} lets one win; the retry of the other then finds the contact.
 */
final class Transactions {
    private static final int ATTEMPTS = 4;

    /** The work of one transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Commits what {@code work} did, or rolls it all back and throws {@link StorageException}. */
    <T> T run(String what, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (!isRace(e)) {
                    throw new StorageException(what + " failed: " + e.getMessage(), e);
                }
                last = e;
            }
        }
        throw new StorageException(what + " failed after " + ATTEMPTS + " attempts: " + last.getMessage(), last);
    }

    /** A unique-key conflict, a deadlock or a serialization failure: trying again may succeed. */
    static boolean isRace(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state);
    }
}
