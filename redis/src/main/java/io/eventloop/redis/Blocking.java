package io.eventloop.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Locale;
import java.util.Set;

/**
 * Which commands block the connection they run on, and for how long: the rule that sends them to
 * {@link RedisClient}'s pool instead of its shared connection, where one {@code BLPOP} would hold
 * up every command pipelined behind it.
 *
 * <p>Compared with redis-py, which has no such rule (a blocking command on the shared pool simply
 * takes a connection out of it for its duration), and with Lettuce, which leaves it to the user
 * ("do not run blocking commands on a shared connection").
 */
final class Blocking {
    /** Their timeout, in seconds, is the last argument. */
    private static final Set<String> TIMEOUT_LAST_SECONDS = Set.of("BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE",
            "BZPOPMIN", "BZPOPMAX");
    /** Their timeout, in seconds, is the first argument. */
    private static final Set<String> TIMEOUT_FIRST_SECONDS = Set.of("BLMPOP", "BZMPOP");
    /** Their timeout, in milliseconds, is the last argument. */
    private static final Set<String> TIMEOUT_LAST_MILLIS = Set.of("WAIT", "WAITAOF");

    private Blocking() {
    }

    /**
     * How long {@code args} may block the connection, in milliseconds: 0 for forever, -1 if the
     * command does not block. An unreadable timeout counts as forever (the server will refuse it).
     */
    static long blockMillis(String command, byte[][] args) {
        try {
            if (TIMEOUT_LAST_SECONDS.contains(command) && args.length >= 2) {
                return seconds(args[args.length - 1]);
            }
            if (TIMEOUT_FIRST_SECONDS.contains(command) && args.length >= 2) {
                return seconds(args[1]);
            }
            if (TIMEOUT_LAST_MILLIS.contains(command) && args.length >= 2) {
                return Math.max(0, Long.parseLong(text(args[args.length - 1])));
            }
            if (command.equals("XREAD") || command.equals("XREADGROUP")) {
                for (int i = 1; i + 1 < args.length; i++) {
                    String word = text(args[i]).toUpperCase(Locale.ROOT);
                    if (word.equals("STREAMS")) {
                        return -1;
                    }
                    if (word.equals("BLOCK")) {
                        return Math.max(0, Long.parseLong(text(args[i + 1])));
                    }
                }
            }
            return -1;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long seconds(byte[] arg) {
        double s = Double.parseDouble(text(arg));
        return s <= 0 ? 0 : Math.max(1, (long) Math.ceil(s * 1000));
    }

    private static String text(byte[] b) {
        return new String(b, UTF_8);
    }
}
