package io.eventloop.examples;

import static io.eventloop.await.Await.async;
import static io.eventloop.await.Await.await;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Task;
import io.eventloop.sync.AsyncQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ProducerConsumer} in straight-line form: one producer, three consumers, a queue, stop
 * sentinels, {@code q.join()}. Python:
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
 */
public final class ProducerConsumerAwait {
    private ProducerConsumerAwait() {
    }

    static Task<Void> producer(AsyncQueue<Optional<String>> q) {
        return async(() -> {
            for (int i = 0; i < 10; i++) {
                await(q.put(Optional.of("task-" + i)));
            }
            for (int i = 0; i < 3; i++) {
                await(q.put(Optional.empty())); // tell consumers to stop
            }
            return null;
        });
    }

    static Task<Void> consumer(String name, AsyncQueue<Optional<String>> q, Scale scale) {
        return async(() -> {
            while (true) {
                Optional<String> item = await(q.get());
                if (item.isEmpty()) {
                    q.taskDone(); // the Python original forgets this one; see ProducerConsumer
                    break;
                }
                await(Async.sleep(scale.seconds(0.3)));
                System.out.println(name + " processed " + item.get());
                q.taskDone();
            }
            return null;
        });
    }

    static Task<Void> main(Scale scale) {
        return async(() -> {
            AsyncQueue<Optional<String>> q = new AsyncQueue<>();
            Task<Void> prod = producer(q);
            List<Task<Void>> consumers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                consumers.add(consumer("C" + i, q, scale));
            }
            await(prod);
            await(q.join());
            for (Task<Void> c : consumers) {
                await(c);
            }
            return null;
        });
    }

    /** Runs the program: {@code ./run producer-consumer --await [--scale F]}. */
    public static void main(String[] args) {
        Scale scale = Scale.parse(args, "producer-consumer --await");
        EventLoop.run(() -> main(scale));
    }
}
