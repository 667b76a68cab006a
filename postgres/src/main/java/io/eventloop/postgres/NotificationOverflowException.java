package io.eventloop.postgres;

/**
 * The consumer of a {@link Notifications} iterator fell too far behind: more notifications
 * arrived than {@link PgOptions#notificationBuffer(int)} lets wait unread. The iterator stopped
 * listening at that point; {@link Notifications#next()} still hands out the ones it kept, then
 * fails with this exception. What the server sent after them was not kept, so a consumer that
 * uses notifications to keep a copy of some data in step should read the data again, then
 * {@link PgConnection#listen} anew.
 *
 * <p>Unchecked, as a {@link java.util.concurrent.RejectedExecutionException} for a full queue is.
 * asyncpg has no counterpart: it calls its listeners for every notification, however many are
 * waiting for the loop.
 */
public final class NotificationOverflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The channel whose iterator overflowed. */
    private final String channel;

    /**
     * An overflow of the iterator on {@code channel}.
     *
     * @param channel the channel listened on
     * @param limit how many notifications were waiting unread
     */
    public NotificationOverflowException(String channel, int limit) {
        super("the consumer of notifications on channel \"" + channel + "\" fell behind: " + limit
                + " were waiting unread (PgOptions.notificationBuffer), so the iterator stopped listening and"
                + " dropped the ones after them; take notifications faster, or listen anew");
        this.channel = channel;
    }

    /**
     * The channel whose iterator overflowed.
     *
     * @return the channel's name, as given to {@link PgConnection#listen}
     */
    public String channel() {
        return channel;
    }
}
