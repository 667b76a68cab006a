package io.eventloop.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Debug mode's check for an {@code await} inside {@code synchronized}, on JDKs that would suspend
 * the body with the monitor held (24 and later, JEP 491) instead of refusing: asks the JVM for the
 * monitors the loop thread holds and keeps those locked by frames of the body, the frames above
 * the continuation's entry. It costs a stack walk by the JVM (tens of microseconds), so it runs
 * only in debug mode.
 */
final class Monitors {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Monitors() {
    }

    /**
     * A monitor locked by a frame of the running body, described ("a java.lang.Object locked in
     * Some.method"), or null when the body holds none.
     */
    static String heldInBody() {
        ThreadInfo[] info = THREADS.getThreadInfo(new long[] {Thread.currentThread().threadId()}, true, false);
        if (info.length == 0 || info[0] == null) {
            return null;
        }
        StackTraceElement[] stack = info[0].getStackTrace();
        int entry = stack.length;
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().equals("jdk.internal.vm.Continuation")
                    && stack[i].getMethodName().startsWith("enter")) {
                entry = i; // the body's frames are above (before) the continuation's entry
                break;
            }
        }
        for (MonitorInfo m : info[0].getLockedMonitors()) {
            if (m.getLockedStackDepth() >= 0 && m.getLockedStackDepth() < entry) {
                StackTraceElement frame = m.getLockedStackFrame();
                return "a " + m.getClassName() + " locked in " + frame.getClassName() + "." + frame.getMethodName();
            }
        }
        return null;
    }
}
