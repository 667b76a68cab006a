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

    /**
     * A message on {@code channel}, matched by {@code pattern} (null for a plain subscription).
     * A {@link Subscription} makes these from the server's {@code message} and {@code pmessage}
     * frames; the constructor is public so tests and fakes can make the same values.
     *
     * @param pattern the {@code PSUBSCRIBE} pattern that matched, such as {@code news.*}, or null
     *     for a channel subscribed to by name
     * @param channel the channel the message was published to; not null
     * @param payload the published bytes, kept as given (not copied); not null
     * @throws NullPointerException if {@code channel} or {@code payload} is null
     */
    public Message(String pattern, String channel, byte[] payload) {
        this.pattern = pattern;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /**
     * The pattern that matched: redis-py's {@code message['pattern']}.
     *
     * @return the pattern, or null for a channel subscribed to by name
     */
    public String pattern() {
        return pattern;
    }

    /**
     * The channel it was published to: redis-py's {@code message['channel']}. For a pattern
     * subscription, the concrete channel that matched ({@code news.sport} for {@code news.*}).
     *
     * @return the channel's name, never null
     */
    public String channel() {
        return channel;
    }

    /**
     * The payload decoded as UTF-8: redis-py's {@code message['data']} with
     * {@code decode_responses=True}. Bytes that are not valid UTF-8 become U+FFFD; use
     * {@link #payload()} for binary messages.
     *
     * @return the payload as text, a new string on each call
     */
    public String message() {
        return new String(payload, UTF_8);
    }

    /**
     * The payload as published, byte for byte: redis-py's {@code message['data']} without
     * {@code decode_responses}.
     *
     * @return a copy of the payload's bytes, which the caller may change freely
     */
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
