package io.eventloop.await;

/**
 * Whether this JVM can run coroutines, found out once without touching
 * {@code jdk.internal.vm.Continuation} itself: linking a class against it without the export fails
 * with an {@link IllegalAccessError} that names neither the flag nor this module.
 */
final class Support {
    /** The flag every JVM that runs {@link Await} needs. */
    static final String FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    /** Why coroutines cannot run here, or null when they can. */
    private static final String PROBLEM = problem();

    private Support() {
    }

    /** Throws, saying what to do, when this JVM cannot run coroutines. */
    static void check() {
        if (PROBLEM != null) {
            throw new UnsupportedOperationException(PROBLEM);
        }
    }

    private static String problem() {
        Module base = Object.class.getModule();
        if (!base.isExported("jdk.internal.vm", Support.class.getModule())) {
            return "straight-line await needs the JVM option " + FLAG
                    + " (java.base does not export jdk.internal.vm to "
                    + (Support.class.getModule().isNamed() ? "module " + Support.class.getModule().getName()
                            : "the class path") + "): add it to the java command line, or write this code"
                    + " with then/map/recover instead";
        }
        try {
            if (!jdk.internal.vm.ContinuationSupport.isSupported()) {
                return "this JVM (" + System.getProperty("java.vm.name") + " " + Runtime.version()
                        + ", " + System.getProperty("os.arch") + ") has no continuations, so straight-line await"
                        + " cannot run on it; write this code with then/map/recover instead";
            }
        } catch (LinkageError e) {
            return "straight-line await cannot use jdk.internal.vm.Continuation on " + Runtime.version() + " ("
                    + e + "); it is tested on JDK 21 and 25; write this code with then/map/recover instead";
        }
        return null;
    }
}
