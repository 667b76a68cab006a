package io.eventloop;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@link EventLoop#addSignalHandler} on {@code sun.misc.Signal}. Despite its package, that class
 * is a supported API: it lives in the {@code jdk.unsupported} module, which JEP 260 keeps
 * exported and working (with {@code sun.misc.Unsafe}) until a standard replacement exists; there
 * is no other way for Java code to handle SIGINT/SIGTERM/SIGHUP without ending the JVM.
 *
 * <p>The JVM's signal dispatcher thread calls the handler; it only passes the user's handler to
 * the loop with {@link EventLoop#callSoonThreadsafe}, so the handler runs on the loop thread like
 * any callback. Signals are process-wide: a second loop handling the same signal takes it over,
 * and removing it restores what the first had installed.
 *
 * <p>A signal the process ignores cannot be handled: HotSpot's {@code JVM_RegisterSignal} leaves an
 * ignored INT, TERM or HUP ignored, whatever handler is asked for (even {@code SIG_DFL}), and
 * {@code Signal.handle} returns {@code SIG_IGN} without an error. A shell without job control
 * (a script) starts background commands ({@code java ... &}) with INT ignored, and {@code nohup}
 * ignores HUP, so this happens to servers. Python's {@code add_signal_handler} installs its handler anyway; no
 * Java call can (checked on JDK 17 and 25 by starting the JVM with INT ignored, then sending it
 * INT). So the handler is registered as asked, which changes nothing, and a warning says it will
 * never run: not an exception, because a process that ignores a signal was started that way on
 * purpose (so that a terminal's Ctrl-C or hang-up does not stop it) and otherwise works.
 *
 * <p>One per loop, holding the handlers that loop installed; any thread may call it.
 */
final class SignalHandlers {
    private final EventLoop loop;
    /** This loop's handlers, by signal name. Any thread; {@link #add} and {@link #remove} lock it. */
    private final Map<String, Installed> installed = new ConcurrentHashMap<>();

    SignalHandlers(EventLoop loop) {
        this.loop = loop;
    }

    /** One installed handler and what it replaced. */
    private record Installed(Signal signal, SignalHandler previous, SignalHandler ours) {
    }

    /** {@link EventLoop#addSignalHandler}. */
    void add(String name, Runnable handler) {
        Objects.requireNonNull(handler, "handler");
        loop.checkNotClosed("addSignalHandler");
        Signal signal = signal(name);
        SignalHandler ours = s -> loop.callSoonThreadsafeIfOpen(handler); // a closed loop: dropped
        synchronized (installed) {
            SignalHandler previous;
            try {
                previous = Signal.handle(signal, ours);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signal " + name + " cannot be handled here (the JVM reserves it,"
                        + " or it runs with -Xrs): " + e.getMessage(), e);
            }
            Installed old = installed.get(name);
            // Replacing our own handler keeps the original to restore.
            installed.put(name, new Installed(signal, old != null ? old.previous() : previous, ours));
            if (previous == SignalHandler.SIG_IGN) {
                Diagnostics.warn(loop + ": addSignalHandler(\"" + name + "\"): SIG" + name + " is ignored in this process,"
                        + " so this handler will never run (the JVM cannot handle a signal its process ignores; a shell"
                        + " script's 'java ... &' starts Java with INT ignored, nohup with HUP ignored). Handle TERM"
                        + " as well, which kill sends by default; see docs/operations.md, \"Signals\".");
            }
        }
    }

    /** {@link EventLoop#removeSignalHandler}. */
    boolean remove(String name) {
        signal(name); // validates the name
        synchronized (installed) {
            Installed i = installed.remove(name);
            if (i == null) {
                return false;
            }
            Signal.handle(i.signal(), i.previous());
            return true;
        }
    }

    /** At close: every handler of this loop is removed, and what it replaced restored. */
    void removeAll() {
        for (String name : installed.keySet().toArray(new String[0])) {
            remove(name);
        }
    }

    private static Signal signal(String name) {
        if (!"INT".equals(name) && !"TERM".equals(name) && !"HUP".equals(name)) {
            throw new IllegalArgumentException("unknown signal name: " + name + " (expected INT, TERM or HUP)");
        }
        try {
            return new Signal(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signal " + name + " does not exist on this platform", e);
        }
    }
}
