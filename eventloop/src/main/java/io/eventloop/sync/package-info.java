/**
 * asyncio's synchronisation primitives and queues for tasks on one {@link io.eventloop.EventLoop}:
 * {@link io.eventloop.sync.AsyncLock}, {@link io.eventloop.sync.AsyncEvent},
 * {@link io.eventloop.sync.AsyncCondition}, {@link io.eventloop.sync.AsyncSemaphore},
 * {@link io.eventloop.sync.AsyncBoundedSemaphore}, {@link io.eventloop.sync.AsyncBarrier},
 * {@link io.eventloop.sync.AsyncQueue}, {@link io.eventloop.sync.AsyncPriorityQueue} and
 * {@link io.eventloop.sync.AsyncLifoQueue}.
 *
 * <p>What they share:
 * <ul>
 *   <li><b>One loop.</b> A primitive may be created anywhere and binds to the current loop on
 *       first use; afterwards every call from another thread throws
 *       {@link java.lang.IllegalStateException} (as asyncio raises for another loop). None is
 *       thread-safe: they are the loop-thread counterparts of {@code java.util.concurrent}'s.</li>
 *   <li><b>FIFO hand-off.</b> Waiters are served in arrival order, and what is released is handed
 *       to the oldest waiter at once, so nothing can slip in between; a cancelled waiter leaves
 *       its list at once, in O(1).</li>
 *   <li><b>Cancellation safety.</b> A cancelled waiter never keeps or loses a lock, a permit or a
 *       queue item. Cancelled while waiting, it simply leaves. Handed something and cancelled
 *       before it resumed, it gives it back through {@link io.eventloop.Future#retract()}: the
 *       lock or permit passes on, the item returns to the queue. This holds at the await of the
 *       future the primitive returned (await each one once) and through continuations that pass
 *       the value on unchanged.</li>
 *   <li><b>Misuse fails at once</b>, with a message, changing nothing.</li>
 * </ul>
 * Java names are used where {@link java.lang.Object} already owns asyncio's: {@code await()} for
 * {@code wait()}, {@code signal()} / {@code signalAll()} for {@code notify()} /
 * {@code notify_all()}. {@code docs/guide.md} shows each next to its asyncio form.
 */
package io.eventloop.sync;
