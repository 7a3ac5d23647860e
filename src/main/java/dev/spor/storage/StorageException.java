package dev.spor.storage;

/** The database cannot be used; the message is one line fit for an operator. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
