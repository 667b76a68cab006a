package io.eventloop.examples;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.sync.AsyncQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One producer, three consumers, one queue ("How asyncio can make your code faster", section 4). Python:
 * <pre>
 * async def producer(q):
 *     for i in range(10):
 *         await q.put(f"task-{i}")
 *     for _ in range(3):
 *         await q.put(None)              # tell consumers to stop
 *
 * async def consumer(name, q):
 *     while True:
 *         item = await q.get()
 *         if item is None:
 *             break
 *         await asyncio.sleep(0.3)
 *         print(f"{name} processed {item}")
 *         q.task_done()
 *
 * async def main():
 *     q = asyncio.Queue()
 *     prod = asyncio.create_task(producer(q))
 *     consumers = [asyncio.create_task(consumer(f"C{i}", q)) for i in range(3)]
 *     await prod
 *     await q.join()
 *     for c in consumers:
 *         await c
 * </pre>
 * The {@code None} sentinel becomes an empty {@link Optional}: the queue holds
 * {@code Optional<String>}, so "no more work" is a value of the element type rather than a null.
 *
 * <p>One fix: the Python consumer returns on {@code None} without calling {@code task_done()},
 * so the three sentinels stay unfinished and {@code q.join()} waits forever after the ten lines.
 * Here the consumer marks the sentinel done too ({@link AsyncQueue#taskDone()}), and the
 * program ends. {@code --scale F} multiplies the 0.3 s of work.
 */
public final class ProducerConsumer {
    private ProducerConsumer() {
    }

    static Future<Void> producer(AsyncQueue<Optional<String>> q) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(i);
        }
        return Async.forEach(items, i -> q.put(Optional.of("task-" + i)))
                .then(v -> Async.forEach(List.of(1, 2, 3), n -> q.put(Optional.empty())));
    }

    static Future<Void> consumer(String name, AsyncQueue<Optional<String>> q, Scale scale) {
        return Async.repeat(() -> q.get().then(item -> {
            if (item.isEmpty()) {
                q.taskDone(); // the Python original forgets this one; see the class comment
                return Async.completed(false);
            }
            return Async.sleep(scale.seconds(0.3)).map(v -> {
                System.out.println(name + " processed " + item.get());
                q.taskDone();
                return true;
            });
        }));
    }

    static Future<Void> main(Scale scale) {
        EventLoop loop = EventLoop.current();
        AsyncQueue<Optional<String>> q = new AsyncQueue<>();
        Task<Void> prod = loop.createTask(() -> producer(q));
        List<Task<Void>> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "C" + i;
            consumers.add(loop.createTask(() -> consumer(name, q, scale)));
        }
        return prod.then(v -> q.join()).then(v -> Async.gather(consumers)).map(v -> null);
    }

    /** Runs the program: {@code ./run producer-consumer [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "producer-consumer");
        EventLoop.run(() -> main(scale));
    }
}
