package io.eventloop.redis;

/**
 * The server answered a command with an error reply: {@code WRONGTYPE Operation against a key
 * holding the wrong kind of value}, {@code ERR unknown command}, {@code NOAUTH ...}.
 * {@link #getMessage()} is the server's text, word for word; {@link #command()} is the command it
 * answered and {@link #code()} the error's first word.
 *
 * <pre>{@code
 * client.incr("a-list").recover(RedisException.class, e -> {
 *     if (e.code().equals("WRONGTYPE")) { ... }
 *     return Async.failed(e);
 * });
 * }</pre>
 *
 * <p>Compared with redis-py: its {@code ResponseError} (and the subclasses it picks by the error's
 * first word, such as {@code AuthenticationError}); here one type with {@link #code()} to test.
 * Unchecked, since a program that sends a well-formed command to the right key does not expect one.
 */
public class RedisException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The name of the command the error answered, in upper case; serialized with the message. */
    private final String command;

    /**
     * An error reply.
     *
     * @param command the name of the command it answered, such as {@code "INCR"} (upper case)
     * @param message the server's text
     */
    public RedisException(String command, String message) {
        super(message);
        this.command = command;
    }

    /**
     * The command the server refused. redis-py's {@code ResponseError} carries only the server's
     * text; here the command is kept, so one {@code recover} after a chain of commands, or a log
     * line, can tell which of them failed.
     *
     * @return the command's name in upper case, such as {@code "INCR"}; {@code "EXEC"} when a
     *     whole transaction was refused
     */
    public String command() {
        return command;
    }

    /**
     * The error's code: the first word of the server's text when it is in upper case (Redis's
     * convention: {@code ERR}, {@code WRONGTYPE}, {@code NOAUTH}, {@code EXECABORT}), else
     * {@code "ERR"}. The word redis-py maps to an exception class, here a string to compare.
     *
     * @return the code, such as {@code "WRONGTYPE"}; never null or empty
     */
    public String code() {
        String message = getMessage();
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        return !first.isEmpty() && first.equals(first.toUpperCase(java.util.Locale.ROOT))
                && first.chars().allMatch(c -> Character.isLetter(c) || c == '_') ? first : "ERR";
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + getMessage() + " (" + command + ")";
    }
}
