package io.eventloop.postgres;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static io.eventloop.testing.LoopAssertions.runIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.testing.EventLoopTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LISTEN and NOTIFY against a real server: notifications from another session as an async
 * iterator and as callbacks, several channels and iterators, UNLISTEN when the last one closes,
 * the end of the iteration when the connection goes, the overflow policy, and channel names that
 * need quoting. A notification is sent by {@code sender} and reaches {@code listener} once that
 * backend is idle; a query on {@code listener} after the send (its answer comes after the
 * notification on the same socket) makes the arrival certain before a test looks.
 */
@EventLoopTest
class PgListenTest extends PgServerCase {
    private PgConnection listener;
    private PgConnection sender;

    @BeforeEach
    void connect() {
        listener = assertCompletes(PgConnection.connect(server.uri()));
        sender = assertCompletes(PgConnection.connect(server.uri()));
    }

    @AfterEach
    void close() {
        if (!listener.isClosed()) {
            assertCompletes(listener.closeAsync());
        }
        assertCompletes(sender.closeAsync());
    }

    /** Sends a notification from {@code sender}, then lets {@code listener} receive it. */
    private void notify(String channel, String payload) {
        assertCompletes(sender.execute("SELECT pg_notify($1, $2)", channel, payload));
        assertCompletes(listener.fetchVal("SELECT 1"));
    }

    private List<Object> listening() {
        return assertCompletes(listener.fetch("SELECT pg_listening_channels() AS c ORDER BY 1"))
                .stream().map(r -> r.get("c")).toList();
    }

    private static Notification next(Notifications it) {
        return assertCompletes(it.next()).orElseThrow();
    }

    @Test
    void aNotificationFromAnotherSessionArrivesWithItsPayloadAndThePidThatSentIt() {
        Future<Notification> first = listener.listen("orders").then(orders ->
                sender.execute("SELECT pg_notify('orders', 'id=7')")       // another session
                        .then(tag -> orders.next())                        // Optional.empty() at the end
                        .map(Optional::orElseThrow)
                        .ensure(orders::closeAsync));                      // UNLISTEN
        Notification n = assertCompletes(first);
        assertEquals(new Notification(sender.serverPid(), "orders", "id=7"), n);
        assertEquals(List.of(), listening());
    }

    @Test
    void eachChannelGetsOnlyItsOwnNotificationsInTheOrderSent() {
        Notifications a = assertCompletes(listener.listen("a"));
        Notifications b = assertCompletes(listener.listen("b"));
        assertCompletes(sender.execute("SELECT pg_notify('a', '1'); SELECT pg_notify('b', '2'); SELECT pg_notify('a', '3')"));
        assertCompletes(listener.fetchVal("SELECT 1"));
        assertEquals(2, a.buffered());
        assertEquals("1", next(a).payload());
        assertEquals("3", next(a).payload());
        assertEquals("2", next(b).payload());
        assertEquals(0, b.buffered());
        assertCompletes(a.closeAsync());
        assertCompletes(b.closeAsync());
    }

    @Test
    void twoIteratorsOnOneChannelEachGetEveryNotification() {
        Notifications first = assertCompletes(listener.listen("jobs"));
        Notifications second = assertCompletes(listener.listen("jobs"));
        notify("jobs", "one");
        notify("jobs", "two");
        assertEquals(List.of("one", "two"), List.of(next(first).payload(), next(first).payload()));
        assertEquals(List.of("one", "two"), List.of(next(second).payload(), next(second).payload()));
        assertCompletes(first.closeAsync());
        assertCompletes(second.closeAsync());
    }

    @Test
    void closingTheLastIteratorOfAChannelUnlistensAndEndsItsIteration() {
        Notifications first = assertCompletes(listener.listen("jobs"));
        Notifications second = assertCompletes(listener.listen("jobs"));
        Future<Optional<Notification>> pending = first.next();
        assertCompletes(first.closeAsync());
        assertEquals(Optional.empty(), assertCompletes(pending), "a pending next() ends empty");
        assertEquals(Optional.empty(), assertCompletes(first.next()));
        assertEquals(List.of("jobs"), listening(), "another iterator still listens");
        notify("jobs", "still");
        assertEquals("still", next(second).payload());
        assertCompletes(second.closeAsync());
        assertEquals(List.of(), listening(), "UNLISTEN ran when the last one closed");
        assertEquals(0, listener.protocol().listening.channelCount());
        assertCompletes(second.closeAsync()); // idempotent
    }

    @Test
    void listeningAgainAfterTheLastCloseListensAgain() {
        Notifications first = assertCompletes(listener.listen("jobs"));
        Future<Void> closing = first.closeAsync();
        Future<Notifications> again = listener.listen("jobs"); // UNLISTEN and LISTEN both on their way, in this order
        assertCompletes(closing);
        Notifications second = assertCompletes(again);
        assertEquals(List.of("jobs"), listening());
        notify("jobs", "after");
        assertEquals("after", next(second).payload());
        assertCompletes(second.closeAsync());
    }

    @Test
    void aLostConnectionEndsTheIterationWithAnErrorAfterTheNotificationsAlreadyReceived() {
        Notifications jobs = assertCompletes(listener.listen("jobs"));
        notify("jobs", "received");
        assertEquals(true, assertCompletes(sender.fetchVal("SELECT pg_terminate_backend($1)", listener.serverPid())));
        assertEquals("received", next(jobs).payload());
        PgConnectionException e = assertFails(PgConnectionException.class, jobs.next());
        assertTrue(e.getMessage().contains("the connection to 127.0.0.1:" + server.port + " was closed by the server"
                + " (FATAL 57P01"), e.getMessage());
        assertTrue(listener.isClosed());
        assertFails(PgConnectionException.class, jobs.next());
        assertCompletes(jobs.closeAsync());
    }

    @Test
    void aConnectionClosedByTheClientEndsTheIterationQuietly() {
        Notifications jobs = assertCompletes(listener.listen("jobs"));
        Future<Optional<Notification>> pending = jobs.next();
        assertCompletes(listener.closeAsync());
        assertEquals(Optional.empty(), assertCompletes(pending));
        assertCompletes(jobs.closeAsync());
        assertFails(PgConnectionException.class, listener.listen("jobs"));
    }

    @Test
    void aConsumerThatFallsBehindGetsWhatWasKeptThenAnOverflowAndTheRestGoesOn() {
        assertCompletes(listener.closeAsync());
        listener = assertCompletes(PgConnection.connect(server.uri(), PgOptions.defaults().notificationBuffer(2)));
        Notifications slow = assertCompletes(listener.listen("jobs"));
        Notifications other = assertCompletes(listener.listen("other"));
        assertCompletes(sender.execute("SELECT pg_notify('jobs', '1'); SELECT pg_notify('jobs', '2');"
                + " SELECT pg_notify('jobs', '3'); SELECT pg_notify('other', 'fine')"));
        assertCompletes(listener.fetchVal("SELECT 1"));
        assertEquals(List.of("other"), listening(), "the overflowing iterator stopped listening");
        assertEquals("1", next(slow).payload());
        assertEquals("2", next(slow).payload());
        NotificationOverflowException e = assertFails(NotificationOverflowException.class, slow.next());
        assertEquals("jobs", e.channel());
        assertTrue(e.getMessage().contains("PgOptions.notificationBuffer"), e.getMessage());
        assertEquals("fine", next(other).payload(), "the other iterators are not touched");
        assertEquals(1, assertCompletes(listener.fetchVal("SELECT 1")), "nor the queries");
        assertCompletes(slow.closeAsync());
        assertCompletes(other.closeAsync());
    }

    @Test
    void theNotificationBufferMustHoldAtLeastOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PgOptions.defaults().notificationBuffer(0));
        assertEquals("notificationBuffer must be >= 1, not 0", e.getMessage());
    }

    @Test
    void aChannelNameIsTakenExactlyAsGivenQuotesSpacesAndCaseIncluded() {
        String name = "Order \"Events\" ü";
        Notifications it = assertCompletes(listener.listen(name));
        assertEquals(List.of(name), listening());
        assertCompletes(sender.execute("NOTIFY \"Order \"\"Events\"\" ü\", 'quoted'"));
        assertCompletes(sender.execute("SELECT pg_notify('order \"events\" ü', 'other case')"));
        notify(name, "by pg_notify");
        assertEquals("quoted", next(it).payload());
        assertEquals("by pg_notify", next(it).payload(), "a name in another case is another channel");
        assertCompletes(it.closeAsync());
        assertEquals(List.of(), listening());
    }

    @Test
    void anEmptyOverlongOrNulChannelNameIsRefusedNamingIt() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> listener.listen(""));
        assertEquals("a channel name must not be empty", empty.getMessage());
        String longest = "x".repeat(63);
        Notifications it = assertCompletes(listener.listen(longest));
        assertEquals(List.of(longest), listening());
        IllegalArgumentException overlong = assertThrows(IllegalArgumentException.class,
                () -> listener.listen("é".repeat(32)));
        assertTrue(overlong.getMessage().contains("is 64 bytes of UTF-8; PostgreSQL keeps at most 63"),
                overlong.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> listener.addListener("a\0b", n -> { }));
        assertTrue(nul.getMessage().contains("\"a\\0b\" contains a NUL"), nul.getMessage());
        assertThrows(NullPointerException.class, () -> listener.listen(null));
        assertCompletes(it.closeAsync());
    }

    @Test
    void aCallbackListenerIsCalledOnALaterIterationAndRemovingItUnlistens(EventLoop loop) {
        List<Notification> got = new ArrayList<>();
        Consumer<Notification> callback = n -> got.add(n);                // runs on a later iteration
        Future<Void> added = listener.addListener("jobs", callback);
        assertCompletes(added);
        assertCompletes(listener.addListener("jobs", callback)); // a set, as asyncpg's: called once each
        notify("jobs", "one");
        runIterations(loop, 2);
        assertEquals(List.of(new Notification(sender.serverPid(), "jobs", "one")), got);
        Notifications it = assertCompletes(listener.listen("jobs"));
        Future<Void> removed = listener.removeListener("jobs", callback);  // UNLISTEN if it was the last
        assertCompletes(removed);
        assertEquals(List.of("jobs"), listening(), "the iterator still listens");
        notify("jobs", "two");
        runIterations(loop, 2);
        assertEquals(1, got.size());
        assertEquals("two", next(it).payload());
        assertCompletes(it.closeAsync());
        assertEquals(List.of(), listening());
        assertCompletes(listener.removeListener("jobs", callback)); // not there: nothing, as in asyncpg
    }

    @Test
    void aCallbackThatThrowsGoesToTheLoopsExceptionHandlerAndTheConnectionGoesOn(EventLoop loop) {
        List<Throwable> handled = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> handled.add(context.exception()));
        assertCompletes(listener.addListener("jobs", n -> {
            throw new IllegalStateException("bad callback: " + n.payload());
        }));
        notify("jobs", "x");
        runIterations(loop, 2);
        assertEquals(1, handled.size());
        assertEquals("bad callback: x", handled.get(0).getMessage());
        assertEquals(1, assertCompletes(listener.fetchVal("SELECT 1")));
    }

    @Test
    void aNotificationNobodyListensToThroughTheClientIsDropped() {
        assertCompletes(listener.execute("LISTEN jobs")); // by hand: no iterator, no callback
        notify("jobs", "dropped");
        Notifications it = assertCompletes(listener.listen("jobs"));
        assertEquals(0, it.buffered(), "it was dropped, not kept for a later listener");
        notify("jobs", "kept");
        assertEquals("kept", next(it).payload());
        assertCompletes(it.closeAsync());
    }

    @Test
    void aNotificationTakenByANextWhoseWaiterWasCancelledGoesBackForTheNextOne(EventLoop loop) {
        Notifications it = assertCompletes(listener.listen("jobs"));
        Future<String> waiting = it.next().map(n -> n.orElseThrow().payload());
        it.listener().notification(new Notification(1, "jobs", "handed over"));
        assertTrue(waiting.cancel(), "cancelled after the next() completed, before the continuation ran");
        assertFails(CancellationException.class, waiting);
        assertEquals("handed over", next(it).payload());
        assertCompletes(it.closeAsync());
    }

    @Test
    void aListenTheServerRefusesFailsAndLeavesNothingListening() {
        assertCompletes(listener.execute("BEGIN"));
        assertFails(PgException.class, listener.execute("SELECT * FROM nope"));
        PgException e = assertFails(PgException.class, listener.listen("jobs"));
        assertEquals("25P02", e.sqlState());
        assertCompletes(listener.execute("ROLLBACK"));
        assertCompletes(listener.fetchVal("SELECT 1"));
        assertEquals(0, listener.protocol().listening.channelCount());
        assertEquals(List.of(), listening());
    }

    @Test
    void nextWhileThePreviousIsPendingIsRefused() {
        Notifications it = assertCompletes(listener.listen("jobs"));
        Future<Optional<Notification>> first = it.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertTrue(e.getMessage().contains("still pending"), e.getMessage());
        assertCompletes(it.closeAsync());
        assertEquals(Optional.empty(), assertCompletes(first));
    }

    @Test
    void aListenInsideATransactionTakesEffectAtCommit() {
        Future<Notifications> inside = listener.transaction(c -> c.listen("jobs").then(it ->
                sender.execute("SELECT pg_notify('jobs', 'before commit')")
                        .then(tag -> c.fetchVal("SELECT 1"))
                        .map(one -> it)));
        Notifications it = assertCompletes(inside);
        assertEquals(0, it.buffered(), "not listening until the COMMIT");
        notify("jobs", "after commit");
        assertEquals("after commit", next(it).payload());
        assertCompletes(it.closeAsync());
    }

    @Test
    void forEachRunsUntilTheIteratorIsClosed() {
        Notifications jobs = assertCompletes(listener.listen("jobs"));
        List<String> seen = new ArrayList<>();
        Future<Void> all = Async.forEach(jobs, n -> {
            seen.add(n.payload());
            return n.payload().equals("last") ? jobs.closeAsync() : Async.completed(null);
        });
        assertCompletes(sender.execute("SELECT pg_notify('jobs', 'first'); SELECT pg_notify('jobs', 'last')"));
        assertCompletes(all);
        assertEquals(List.of("first", "last"), seen);
        assertFalse(listener.isClosed());
        assertEquals(List.of(), listening());
    }
}
