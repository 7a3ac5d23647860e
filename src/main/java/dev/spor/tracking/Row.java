package dev.spor.tracking;

import java.time.Instant;

/**
 * One row a beacon becomes: a page view or an event. The rows of one beacon are written in the
 * same transaction. Immutable.
 */
public sealed interface Row permits PageView, TrackedEvent {
    /** The site key. */
    String site();

    /** The id that makes the row idempotent within its site. */
    String eventId();

    /** The tracking cookie's value. */
    String visitorId();

    /** Server time of receipt. */
    Instant receivedAt();
}
