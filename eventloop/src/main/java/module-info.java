/**
 * asyncio's cooperative model on one NIO thread: the loop and its futures and tasks
 * ({@link io.eventloop}), asyncio's synchronisation primitives ({@link io.eventloop.sync}),
 * transports, servers and streams ({@link io.eventloop.net}), and child processes with their pipes as
 * streams ({@link io.eventloop.process}).
 *
 * <p>What each {@code requires} is for:
 * <ul>
 *   <li>{@code org.jctools.core} — the queue other threads submit work through. Not
 *       {@code transitive}: no JCTools type appears in the API.</li>
 *   <li>{@code org.slf4j} — the loop's reports. Not {@code transitive}: no SLF4J type appears in
 *       the API; an application adds a provider module (slf4j-simple, logback) to the module path
 *       and SLF4J finds it as a service.</li>
 *   <li>{@code jdk.unsupported} — {@code sun.misc.Signal}, behind {@code addSignalHandler}. JCTools
 *       also needs it ({@code sun.misc.Unsafe}) but requires it only {@code static}, which does not
 *       resolve it: this {@code requires} is what brings it into every application.</li>
 *   <li>{@code jdk.jfr} — the loop's Flight Recorder events (task created and done, slow callback,
 *       blocked loop); they are declared whether or not a recording runs.</li>
 * </ul>
 *
 * <p>{@code io.eventloop.internal} is not API: it is exported only to {@code io.eventloop.testing}
 * (eventloop-testing), whose fake clock drives a loop through it.
 */
// The qualified export names a module that is not on the module path when this one is compiled
// (it depends on this one); javac's "module not found" lint is silenced for that line's sake.
@SuppressWarnings("module")
module io.eventloop {
    requires org.jctools.core;
    requires org.slf4j;
    requires jdk.unsupported;
    requires jdk.jfr;

    exports io.eventloop;
    exports io.eventloop.sync;
    exports io.eventloop.net;
    exports io.eventloop.process;
    exports io.eventloop.internal to io.eventloop.testing;
}
