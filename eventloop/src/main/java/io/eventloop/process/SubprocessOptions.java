package io.eventloop.process;

import io.eventloop.net.StreamReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a child process: where its three standard streams go, its working directory and
 * environment, the limit of its readers, and whether cancelling a wait kills it. Immutable; each
 * setter returns a copy, so any thread may share one.
 *
 * <pre>{@code
 * SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.STDOUT).cwd(Path.of("/tmp"))
 * }</pre>
 *
 * <p>Compared with asyncio's keyword arguments to {@code create_subprocess_exec}: {@code stdin=},
 * {@code stdout=}, {@code stderr=}, {@code cwd=}, {@code env=} and {@code limit=} are the setters of
 * the same names; {@link #killOnCancel(boolean)} has no asyncio counterpart (there, cancelling
 * {@code await proc.wait()} never touches the child).
 */
public final class SubprocessOptions {
    private static final SubprocessOptions DEFAULTS =
            new SubprocessOptions(Stdio.INHERIT, Stdio.INHERIT, Stdio.INHERIT, null, null, StreamReader.DEFAULT_LIMIT, false);

    private final Stdio stdin;
    private final Stdio stdout;
    private final Stdio stderr;
    private final Path cwd;
    private final Map<String, String> env;
    private final int limit;
    private final boolean killOnCancel;

    private SubprocessOptions(Stdio stdin, Stdio stdout, Stdio stderr, Path cwd, Map<String, String> env, int limit,
            boolean killOnCancel) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.cwd = cwd;
        this.env = env;
        this.limit = limit;
        this.killOnCancel = killOnCancel;
    }

    /**
     * asyncio's defaults: the three streams inherited from this JVM, this JVM's working directory and
     * environment, readers with {@link StreamReader#DEFAULT_LIMIT}, and a child that outlives a
     * cancelled wait.
     *
     * @return the default options
     */
    public static SubprocessOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Where the child's stdin comes from: {@link Stdio#PIPE} (then {@link Subprocess#stdin()} writes
     * to it), {@link Stdio#INHERIT} or {@link Stdio#DEVNULL}.
     *
     * @param stdio where stdin comes from
     * @return a copy with that stdin
     * @throws IllegalArgumentException for {@link Stdio#STDOUT}
     */
    public SubprocessOptions stdin(Stdio stdio) {
        Objects.requireNonNull(stdio, "stdin");
        if (stdio == Stdio.STDOUT) {
            throw new IllegalArgumentException("stdin cannot be Stdio.STDOUT: it is for stderr only");
        }
        return new SubprocessOptions(stdio, stdout, stderr, cwd, env, limit, killOnCancel);
    }

    /**
     * Where the child's stdout goes: {@link Stdio#PIPE} (then {@link Subprocess#stdout()} reads it),
     * {@link Stdio#INHERIT} or {@link Stdio#DEVNULL}.
     *
     * @param stdio where stdout goes
     * @return a copy with that stdout
     * @throws IllegalArgumentException for {@link Stdio#STDOUT}
     */
    public SubprocessOptions stdout(Stdio stdio) {
        Objects.requireNonNull(stdio, "stdout");
        if (stdio == Stdio.STDOUT) {
            throw new IllegalArgumentException("stdout cannot be Stdio.STDOUT: it is for stderr only");
        }
        return new SubprocessOptions(stdin, stdio, stderr, cwd, env, limit, killOnCancel);
    }

    /**
     * Where the child's stderr goes: {@link Stdio#PIPE} (then {@link Subprocess#stderr()} reads it),
     * {@link Stdio#INHERIT}, {@link Stdio#DEVNULL}, or {@link Stdio#STDOUT} (merged into stdout,
     * wherever that goes; {@link Subprocess#stderr()} is then null).
     *
     * @param stdio where stderr goes
     * @return a copy with that stderr
     */
    public SubprocessOptions stderr(Stdio stdio) {
        Objects.requireNonNull(stdio, "stderr");
        return new SubprocessOptions(stdin, stdout, stdio, cwd, env, limit, killOnCancel);
    }

    /**
     * The child's working directory; null (the default) for this JVM's.
     *
     * @param directory the directory the child starts in, or null
     * @return a copy with that directory
     */
    public SubprocessOptions cwd(Path directory) {
        return new SubprocessOptions(stdin, stdout, stderr, directory, env, limit, killOnCancel);
    }

    /**
     * The child's whole environment, replacing this JVM's (asyncio's and {@code subprocess}'s
     * {@code env=}); null (the default) for this JVM's. To add one variable, copy
     * {@link System#getenv()} into a map, put it there, and pass the map.
     *
     * @param environment every variable the child sees, or null
     * @return a copy with that environment
     */
    public SubprocessOptions env(Map<String, String> environment) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, environment == null ? null : Map.copyOf(environment),
                limit, killOnCancel);
    }

    /**
     * The limit of the stdout and stderr readers (asyncio's {@code limit=}, default
     * {@link StreamReader#DEFAULT_LIMIT}): the longest line they buffer, and the back-pressure mark:
     * a pipe's thread stops reading while its reader holds more than twice this.
     *
     * @param bytes the limit, in bytes
     * @return a copy with that limit
     * @throws IllegalArgumentException if not positive
     */
    public SubprocessOptions limit(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + bytes);
        }
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, bytes, killOnCancel);
    }

    /**
     * Whether cancelling a future from {@link Subprocess#await()} or
     * {@link Subprocess#communicate(byte[])} kills the child (SIGKILL). Off by default, as in
     * asyncio: a cancelled wait leaves the child running, and the program decides (see
     * {@link Subprocess#kill()}).
     *
     * @param kill true to kill the child when a wait for it is cancelled
     * @return a copy with that choice
     */
    public SubprocessOptions killOnCancel(boolean kill) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, limit, kill);
    }

    /**
     * Where stdin comes from.
     *
     * @return the stdin choice
     */
    public Stdio stdin() {
        return stdin;
    }

    /**
     * Where stdout goes.
     *
     * @return the stdout choice
     */
    public Stdio stdout() {
        return stdout;
    }

    /**
     * Where stderr goes.
     *
     * @return the stderr choice
     */
    public Stdio stderr() {
        return stderr;
    }

    /**
     * The working directory, or null for this JVM's.
     *
     * @return the directory, or null
     */
    public Path cwd() {
        return cwd;
    }

    /**
     * The whole environment, or null for this JVM's.
     *
     * @return an unmodifiable map, or null
     */
    public Map<String, String> env() {
        return env;
    }

    /**
     * The readers' limit, in bytes.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }

    /**
     * Whether a cancelled wait kills the child.
     *
     * @return true if it does
     */
    public boolean killOnCancel() {
        return killOnCancel;
    }

    @Override
    public String toString() {
        return "SubprocessOptions[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr
                + (cwd == null ? "" : ", cwd=" + cwd) + (env == null ? "" : ", env=" + env.size() + " variables")
                + ", limit=" + limit + (killOnCancel ? ", killOnCancel" : "") + "]";
    }
}
