/**
 * Testing code on the loop with JUnit 5: {@link io.eventloop.testing.EventLoopTest}, fake time,
 * in-memory connections.
 *
 * <p>Both {@code requires} are {@code transitive} because their types are in this module's API: a
 * test is handed an {@code EventLoop} and works with {@code Future}s, and
 * {@link io.eventloop.testing.EventLoopTest} is a JUnit annotation. The fake clock drives the loop
 * through {@code io.eventloop.internal}, which the library exports to this module alone.
 */
module io.eventloop.testing {
    requires transitive io.eventloop;
    requires transitive org.junit.jupiter.api;

    exports io.eventloop.testing;
}
