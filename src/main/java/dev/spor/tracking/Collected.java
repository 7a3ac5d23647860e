package dev.spor.tracking;

import java.util.List;

/** A validated beacon from the script: a page view ({@link Beacon}) or an event ({@link EventBeacon}). */
public sealed interface Collected permits Beacon, EventBeacon {
    /** The page the beacon was sent from, as reported; the consent filter checks it belongs to the site. */
    String url();

    /** The rows to store for this beacon, written together. */
    List<Row> rows(Receipt receipt);
}
