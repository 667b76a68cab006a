package io.eventloop.process;

/**
 * Where a child's standard stream goes: asyncio's {@code asyncio.subprocess.PIPE},
 * {@code DEVNULL}, {@code STDOUT} and {@code None}.
 *
 * <p>Compared with {@link ProcessBuilder.Redirect}: the same choices, named as asyncio names them,
 * plus {@link #STDOUT} for stderr (which {@code ProcessBuilder} spells
 * {@code redirectErrorStream(true)}).
 */
public enum Stdio {
    /**
     * A pipe to this program: {@link Subprocess#stdin()} is a {@link io.eventloop.net.StreamWriter},
     * {@link Subprocess#stdout()} and {@link Subprocess#stderr()} are
     * {@link io.eventloop.net.StreamReader}s.
     */
    PIPE,
    /** The stream this JVM has (asyncio's {@code None}, the default). */
    INHERIT,
    /** {@code /dev/null}: stdin reads EOF at once, what is written to stdout or stderr is discarded. */
    DEVNULL,
    /** For stderr only: into the same place as stdout (a pipe, this JVM's stdout, or /dev/null). */
    STDOUT
}
