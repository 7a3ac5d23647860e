package dev.spor.files;

/** An upload went past its size limit; nothing of it was kept. */
public final class FileTooLargeException extends RuntimeException {
    private final long maxBytes;

    FileTooLargeException(String name, long maxBytes) {
        super("file " + name + " is larger than the limit of " + maxBytes + " bytes; nothing was stored");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
