package io.eventloop.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Objects;

/**
 * One message a {@link Subscription} received: the channel it was published to, the pattern that
 * matched it (for {@link RedisClient#psubscribe}; null for {@link RedisClient#subscribe}) and its
 * payload, as the bytes that were published and as UTF-8 text.
 *
 * <p>Compared with redis-py: its message dict {@code {'type': 'message', 'pattern': None,
 * 'channel': ..., 'data': ...}}; subscription confirmations, which redis-py also hands out as
 * messages, are not messages here.
 */
public final class Message {
    private final String pattern;
    private final String channel;
    private final byte[] payload;

    /** A message on {@code channel}, matched by {@code pattern} (null for a plain subscription). */
    public Message(String pattern, String channel, byte[] payload) {
        this.pattern = pattern;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /** The pattern that matched, or null for a channel subscribed by name. */
    public String pattern() {
        return pattern;
    }

    /** The channel it was published to. */
    public String channel() {
        return channel;
    }

    /** The payload decoded as UTF-8. */
    public String message() {
        return new String(payload, UTF_8);
    }

    /** The payload as published, byte for byte (a copy). */
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && Objects.equals(pattern, m.pattern) && channel.equals(m.channel)
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pattern, channel, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Message[" + (pattern != null ? "pattern=" + pattern + ", " : "") + "channel=" + channel + ", message="
                + message() + "]";
    }
}
