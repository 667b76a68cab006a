package io.eventloop.process;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Subprocess#communicate(byte[])} gives: the output of both pipes and the return code.
 * Python's {@code subprocess.CompletedProcess}; asyncio's {@code communicate()} returns the pair
 * {@code (stdout_data, stderr_data)} and leaves the code in {@code proc.returncode}.
 *
 * @param args the command the process ran
 * @param returnCode its return code, as {@link Subprocess#returnCode()} reports it (a negative
 *     signal number when a signal ended it)
 * @param stdout everything it wrote to stdout, or null if stdout was not {@link Stdio#PIPE}
 * @param stderr everything it wrote to stderr, or null if stderr was not {@link Stdio#PIPE}
 */
public record CompletedProcess(List<String> args, int returnCode, byte[] stdout, byte[] stderr) {
    /**
     * Checks the arguments and copies the command.
     *
     * @param args the command the process ran
     * @param returnCode its return code
     * @param stdout its stdout, or null
     * @param stderr its stderr, or null
     */
    public CompletedProcess {
        args = List.copyOf(Objects.requireNonNull(args, "args"));
    }

    /**
     * stdout decoded as UTF-8, or null if it was not a pipe.
     *
     * @return the text the process wrote to stdout
     */
    public String stdoutText() {
        return stdout == null ? null : new String(stdout, StandardCharsets.UTF_8);
    }

    /**
     * stderr decoded as UTF-8, or null if it was not a pipe.
     *
     * @return the text the process wrote to stderr
     */
    public String stderrText() {
        return stderr == null ? null : new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CompletedProcess[args=" + args + ", returnCode=" + returnCode
                + ", stdout=" + (stdout == null ? "null" : stdout.length + " bytes")
                + ", stderr=" + (stderr == null ? "null" : stderr.length + " bytes") + "]";
    }
}
