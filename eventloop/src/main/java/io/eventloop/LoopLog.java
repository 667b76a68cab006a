package io.eventloop;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Where the loop's reports go: what the default exception handler reports (a callback that threw,
 * a failure never retrieved, a task pending at close), the diagnostics' warnings (slow callbacks,
 * the watchdog, a signal handler that cannot run) and the poller's and executor's warnings.
 * Through SLF4J when a provider is bound; else to {@link System#err}, after one line per process
 * that says why and how to add a backend.
 *
 * <p>Why not SLF4J alone: with no provider on the class path, the state of a fresh project, SLF4J
 * prints three lines of its own at startup ("No SLF4J providers were found") and then drops
 * every message, so a handler that threw, or a connection closed by a failure, left no trace.
 * Python's {@code logging} has the same fallback, {@code logging.lastResort}: with no handler
 * configured, warnings and errors still reach stderr. slf4j-nop cannot be told apart from "no
 * provider" through SLF4J's API (both use {@link NOPLoggerFactory}), so it counts as none: to
 * silence the loop, configure a real backend, or set an exception handler.
 *
 * <p>Any thread: the watchdog reports from its own thread. A report is printed with one
 * {@code print} call, so two threads' reports never interleave.
 */
final class LoopLog {
    /**
     * Whether no SLF4J provider is bound; decided once, when the first report is made (the class
     * is initialised then), as SLF4J binds once per process.
     */
    private static final boolean TO_STDERR = LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;
    /** Whether the line saying why reports go to stderr has been printed. */
    private static final AtomicBoolean NOTED = new AtomicBoolean();
    /** Printed once per process, before the first report on stderr. */
    static final String NOTE = "eventloop: no SLF4J provider found, so the event loop's reports go to System.err."
            + " To log them instead, add a backend such as org.slf4j:slf4j-simple (see the README, \"Logging\").";

    private LoopLog() {
    }

    /** An error: what the default exception handler reports. {@code error} may be null. */
    static void error(Class<?> category, String message, Throwable error) {
        if (TO_STDERR) {
            print("ERROR", category, message, error);
        } else {
            LoggerFactory.getLogger(category).error(message, error);
        }
    }

    /** Information asked for: the call graph a signal requests. */
    static void info(Class<?> category, String message) {
        if (TO_STDERR) {
            print("INFO", category, message, null);
        } else {
            LoggerFactory.getLogger(category).info(message);
        }
    }

    /** A warning: a diagnostic report. {@code error} may be null. */
    static void warn(Class<?> category, String message, Throwable error) {
        if (TO_STDERR) {
            print("WARN", category, message, error);
        } else {
            LoggerFactory.getLogger(category).warn(message, error);
        }
    }

    /**
     * One report, laid out as slf4j-simple lays it out ("[thread] LEVEL logger - message", then the
     * stack trace), so that it reads the same before and after that backend is added.
     */
    private static void print(String level, Class<?> category, String message, Throwable error) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (NOTED.compareAndSet(false, true)) {
            out.println(NOTE);
        }
        out.println("[" + Thread.currentThread().getName() + "] " + level + " " + category.getName() + " - " + message);
        if (error != null) {
            error.printStackTrace(out);
        }
        out.flush();
        System.err.print(text);
        System.err.flush();
    }
}
