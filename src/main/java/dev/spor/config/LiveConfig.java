package dev.spor.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The configuration in force. When backed by a file, a change to the file is re-validated and
 * swapped in atomically; a broken edit keeps the previous snapshot and logs every error.
 * Thread-safe: readers call {@link #get()} per request and never see a half-applied change.
 */
public final class LiveConfig implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveConfig.class.getName());
    private static final long SETTLE_MILLIS = 150;

    private final AtomicReference<ConfigSnapshot> current;
    private final Path file;
    private final AtomicReference<ConfigException> lastFailure = new AtomicReference<>();
    private final WatchService watchService;
    private final Thread watcher;

    private LiveConfig(ConfigSnapshot initial, Path file, WatchService watchService) {
        this.current = new AtomicReference<>(initial);
        this.file = file;
        this.watchService = watchService;
        if (watchService == null) {
            this.watcher = null;
        } else {
            this.watcher = new Thread(this::watch, "spor-config-watcher");
            this.watcher.setDaemon(true);
            this.watcher.start();
        }
    }

    /** A configuration that never changes (the built-in demo, tests). */
    public static LiveConfig fixed(ConfigSnapshot snapshot) {
        return new LiveConfig(snapshot, null, null);
    }

    /**
     * Loads a file and watches it for changes.
     *
     * @throws ConfigException when the file is invalid: start-up must fail with all its errors
     */
    public static LiveConfig watching(Path file) throws ConfigException, IOException {
        Path absolute = file.toAbsolutePath().normalize();
        ConfigSnapshot initial = ConfigLoader.load(absolute);
        WatchService service = FileSystems.getDefault().newWatchService();
        try {
            absolute.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            service.close();
            throw e;
        }
        return new LiveConfig(initial, absolute, service);
    }

    /** The snapshot in force now. */
    public ConfigSnapshot get() {
        return current.get();
    }

    /** Why the last reload was refused, if it was; cleared by a successful reload. */
    public Optional<ConfigException> lastReloadFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /**
     * Re-reads the file now. On success the new snapshot replaces the old one at once; on
     * failure the old one stays and the errors are logged and kept.
     *
     * @return whether a new snapshot was applied
     */
    public boolean reload() {
        if (file == null) {
            return false;
        }
        try {
            ConfigSnapshot next = ConfigLoader.load(file);
            current.set(next);
            lastFailure.set(null);
            LOG.info(() -> "config reloaded from " + file + ": " + next.sites().size() + " site(s)");
            return true;
        } catch (ConfigException e) {
            lastFailure.set(e);
            LOG.warning(() -> "config change rejected, the previous config stays in force: " + e.getMessage());
            return false;
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= file.getFileName().equals(event.context());
                }
                key.reset();
                if (ours) {
                    settle();
                    reload();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "config watcher stopped; changes to " + file + " are no longer applied", e);
        }
    }

    /** Editors write a file in several steps: wait until events stop before reading it. */
    private void settle() throws InterruptedException {
        WatchKey more;
        while ((more = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
            more.pollEvents();
            more.reset();
        }
    }

    @Override
    public void close() {
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.fine(() -> "closing the config watcher: " + e);
            }
        }
    }
}
