package io.eventloop.testing.context;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.Async;
import io.eventloop.EventLoop;
import io.eventloop.Future;
import io.eventloop.Task;
import io.eventloop.TaskGroup;
import io.eventloop.TaskLocal;
import io.eventloop.testing.EventLoopTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskLocal}: asyncio's contextvars rules (who sees a set, what a task inherits, what a
 * callback captures, what an executor thread gets), on {@code @EventLoopTest}'s fake time.
 */
@EventLoopTest
class TaskLocalTest {
    private static final TaskLocal<String> ID = new TaskLocal<>("id");
    private static final TaskLocal<String> USER = new TaskLocal<>("user", "anonymous");

    private static Future<Void> sleep(long millis) {
        return Async.sleep(Duration.ofMillis(millis));
    }

    @Test
    void aTaskSeesWhatItSetInEveryLaterStep(EventLoop loop) {
        Task<List<String>> task = loop.createTask(() -> {
            ID.set("a");
            return sleep(10).map(v -> ID.get())
                    .then(first -> sleep(10).map(v -> List.of(first, ID.get())));
        });

        assertEquals(List.of("a", "a"), assertCompletes(task));
        assertNull(ID.get(), "the test's own thread never saw the task's value");
    }

    @Test
    void aTaskTakesItsCreatorsValuesAsTheyAreWhenItIsCreated(EventLoop loop) {
        List<String> seen = new ArrayList<>();
        Task<Void> parent = loop.createTask(() -> {
            ID.set("before");
            Task<Void> early = loop.createTask(() -> sleep(10).map(v -> seen.add("early " + ID.get())).map(v -> null));
            ID.set("after");
            Task<Void> late = loop.createTask(() -> sleep(20).map(v -> seen.add("late " + ID.get())).map(v -> null));
            return Async.gather(early, late).map(v -> null);
        });

        assertCompletes(parent);
        assertEquals(List.of("early before", "late after"), seen);
    }

    @Test
    void aChildsSetIsSeenNeitherByItsParentNorByItsSiblings(EventLoop loop) {
        Task<List<String>> parent = loop.createTask(() -> {
            ID.set("parent");
            Task<String> first = loop.createTask(() -> {
                ID.set("first");
                return sleep(10).map(v -> ID.get());
            });
            Task<String> second = loop.createTask(() -> sleep(20).map(v -> ID.get()));
            return Async.gather(first, second).map(values -> List.of(values.get(0), values.get(1), ID.get()));
        });

        assertEquals(List.of("first", "parent", "parent"), assertCompletes(parent));
    }

    @Test
    void taskGroupChildrenInheritTheContextOfWhoSpawnsThem(EventLoop loop) {
        Map<String, String> seen = new ConcurrentHashMap<>();
        Task<Void> main = loop.createTask(() -> {
            USER.set("ada");
            return TaskGroup.run(group -> {
                group.spawn(() -> sleep(10).map(v -> seen.put("child", USER.get())));
                group.spawn(() -> {
                    USER.set("grace");
                    group.spawn(() -> sleep(10).map(v -> seen.put("grandchild", USER.get())));
                    return sleep(5).map(v -> seen.put("setter", USER.get()));
                });
                return sleep(1).map(v -> null);
            }).map(v -> {
                seen.put("main", USER.get());
                return null;
            });
        });

        assertCompletes(main);
        assertEquals(Map.of("child", "ada", "grandchild", "grace", "setter", "grace", "main", "ada"), seen);
    }

    @Test
    void continuationsSeeTheirTasksValueAsItIsWhenTheyRun(EventLoop loop) {
        Task<String> task = loop.createTask(() -> {
            ID.set("first");
            Future<String> later = sleep(10).map(v -> ID.get()); // created now, runs after the next set
            ID.set("second");
            return later;
        });

        assertEquals("second", assertCompletes(task), "a continuation is the task's own code, as a coroutine's next line is");
    }

    @Test
    void aTaskCreatedOutsideAnyTaskTakesTheCreatingThreadsValues(EventLoop loop) {
        Task<String> task;
        try (TaskLocal.Token t = ID.set("from the test thread")) {
            task = loop.createTask(() -> Async.completed(ID.get()));
        }

        assertNull(ID.get());
        assertEquals("from the test thread", assertCompletes(task));
    }

    @Test
    void callbacksRunWithTheValuesOfWhenTheyWereScheduled(EventLoop loop) {
        List<String> seen = new ArrayList<>();
        Task<Void> task = loop.createTask(() -> {
            ID.set("scheduled");
            loop.callSoon(() -> {
                seen.add("soon " + ID.get());
                ID.set("set in a callback");
            });
            loop.callLater(Duration.ofMillis(5), () -> seen.add("later " + ID.get()));
            Future<Void> done = loop.createFuture();
            done.onDone(f -> seen.add("onDone " + ID.get()));
            ID.set("changed afterwards");
            loop.callSoon(() -> seen.add("next callback " + ID.get()));
            return sleep(10).map(v -> {
                done.complete(null);
                return null;
            });
        });
        loop.callSoon(() -> seen.add("outside " + ID.get()));
        loop.callLater(Duration.ofMillis(1), () -> seen.add("a callback after the one that set " + ID.get()));

        assertCompletes(task);
        assertCompletes(sleep(1));
        assertEquals(List.of("outside null", "soon scheduled", "next callback changed afterwards",
                "a callback after the one that set null", "later scheduled", "onDone scheduled"), seen);
    }

    @Test
    void aContinuationCreatedInACallbackRunsWithThatCallbacksValues(EventLoop loop) {
        Future<String> result = loop.createFuture();
        Future<Void> trigger = loop.createFuture();
        ID.runWith("callback", () -> loop.callSoon(() -> trigger.map(v -> ID.get()).onDone(f -> result.complete(f.result()))));
        loop.callSoon(() -> trigger.complete(null));

        assertEquals("callback", assertCompletes(result));
    }

    @Test
    void toThreadCarriesTheValuesToTheExecutorThread(EventLoop loop) {
        Map<String, String> seen = new ConcurrentHashMap<>();
        Task<Void> task = loop.createTask(() -> {
            ID.set("request-7");
            return Async.toThread(() -> {
                seen.put("executor", ID.get());
                ID.set("set on the executor");
                return null;
            }).map(v -> {
                seen.put("after", ID.get());
                return null;
            });
        });

        assertCompletes(task);
        assertEquals("request-7", seen.get("executor"));
        assertEquals("request-7", seen.get("after"), "a set on the executor thread does not come back");
    }

    @Test
    void runInExecutorCarriesTheValuesForTheCallOnlyAndLeavesNothingOnThePoolThread(EventLoop loop) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Task<String> task = loop.createTask(() -> {
                ID.set("own pool");
                return loop.runInExecutor(pool, () -> {
                    String value = ID.get();
                    USER.set("set by the work");
                    return value;
                });
            });
            Task<String> empty = loop.createTask(() -> loop.runInExecutor(pool, () -> {
                ID.set("set by work that carried no values");
                return USER.get();
            }));

            assertEquals("own pool", assertCompletes(task));
            assertEquals("anonymous", assertCompletes(empty));
            assertEquals("null anonymous", pool.submit(() -> ID.get() + " " + USER.get()).get(),
                    "the pool thread keeps nothing");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aTaskSubmittedFromAnotherThreadTakesThatThreadsValues(EventLoop loop) {
        Future<CompletableFuture<String>> submitted = loop.runInExecutor(null,
                () -> ID.callWith("worker's", () -> loop.submit(() -> Async.completed(ID.get()))));

        Future<String> value = submitted.then(Future::from);

        assertEquals("worker's", assertCompletes(value));
    }

    @Test
    void wrapCarriesTheValuesOfNowToAnyThread(EventLoop loop) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Callable<String> wrapped = ID.callWith("wrapped", () -> TaskLocal.wrap(ID::get));
            Runnable check = TaskLocal.wrap(() -> assertNull(ID.get()));
            assertEquals("wrapped", pool.submit(wrapped).get());
            pool.submit(check).get();
            assertNull(pool.submit(ID::get).get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theDefaultIsSeenWhereNothingIsSetAndIsSetTellsThemApart(EventLoop loop) {
        Task<List<Object>> task = loop.createTask(() -> {
            List<Object> out = new ArrayList<>(List.of(USER.get(), USER.isSet()));
            USER.set(null);
            out.add(String.valueOf(USER.get()));
            out.add(USER.isSet());
            return Async.completed(out);
        });

        assertEquals(List.of("anonymous", false, "null", true), assertCompletes(task));
    }

    @Test
    void closingATokenPutsBackTheValueFromBeforeItsSet(EventLoop loop) {
        Task<List<String>> task = loop.createTask(() -> {
            List<String> out = new ArrayList<>();
            TaskLocal.Token outer = ID.set("outer");
            try (TaskLocal.Token inner = ID.set("inner")) {
                out.add(ID.get());
            }
            out.add(ID.get());
            ID.set("another");
            ID.reset(outer);
            out.add(String.valueOf(ID.get()));
            out.add(String.valueOf(ID.isSet()));
            return Async.completed(out);
        });

        assertEquals(List.of("inner", "outer", "null", "false"), assertCompletes(task));
    }

    @Test
    void aTokenIsUsedOnceForItsOwnLocalInTheTaskThatMadeIt(EventLoop loop) {
        Task<TaskLocal.Token> maker = loop.createTask(() -> {
            TaskLocal.Token t = ID.set("x");
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> USER.reset(t));
            assertTrue(other.getMessage().contains("TaskLocal[id]"), other.getMessage());
            return Async.completed(t);
        });
        TaskLocal.Token token = assertCompletes(maker);
        Task<Void> elsewhere = loop.createTask(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, token::close);
            assertTrue(e.getMessage().contains("task '" + maker.name() + "'"), e.getMessage());
            return Async.completed(null);
        });
        assertCompletes(elsewhere);

        TaskLocal.Token here = ID.set("here");
        here.close();
        IllegalStateException twice = assertThrows(IllegalStateException.class, here::close);
        assertTrue(twice.getMessage().contains("already been used"), twice.getMessage());
        assertNull(ID.get());
    }

    @Test
    void callWithSetsTheValueForTheBodyAndTheTasksItCreates(EventLoop loop) {
        Task<List<String>> task = loop.createTask(() -> {
            ID.set("task");
            List<String> out = new ArrayList<>();
            Task<String> child = ID.callWith("scoped", () -> {
                out.add(ID.get());
                USER.set("set inside"); // gone with the scope, as in copy_context().run
                return loop.createTask(() -> sleep(10).map(v -> ID.get() + "/" + USER.get()));
            });
            out.add(ID.get());
            out.add(USER.get());
            return child.map(c -> {
                out.add(c);
                return out;
            });
        });

        assertEquals(List.of("scoped", "task", "anonymous", "scoped/set inside"), assertCompletes(task));
    }

    @Test
    void aMirrorFollowsEachTaskOnTheLoopThreadAndOnTheExecutor(EventLoop loop) {
        Map<Thread, String> store = new ConcurrentHashMap<>(); // a stand-in for SLF4J's MDC
        List<String> log = new ArrayList<>();
        TaskLocal<String> requestId = new TaskLocal<String>("requestId").mirrorTo(id -> {
            if (id == null) {
                store.remove(Thread.currentThread());
            } else {
                store.put(Thread.currentThread(), id);
            }
        });
        try {
            List<Task<Void>> requests = new ArrayList<>();
            for (String id : List.of("r1", "r2")) {
                requests.add(loop.createTask(() -> {
                    requestId.set(id);
                    log.add(id + " saw " + store.get(Thread.currentThread()));
                    // r1 sleeps an hour of fake time: while r2's executor job runs, fake time moves with
                    // real time (the loop waits on another thread), and a busy machine must not let
                    // r1 wake before r2's job is back.
                    return sleep(id.equals("r1") ? 3_600_000 : 10)
                            .then(v -> {
                                log.add(id + " after sleep saw " + store.get(Thread.currentThread()));
                                return Async.toThread(() -> id + " on executor saw " + store.get(Thread.currentThread()));
                            })
                            .map(line -> {
                                log.add(line);
                                return null;
                            });
                }));
            }
            assertCompletes(Async.gather(requests));

            assertEquals(List.of("r1 saw r1", "r2 saw r2", "r2 after sleep saw r2", "r2 on executor saw r2",
                    "r1 after sleep saw r1", "r1 on executor saw r1"), log);
            assertFalse(store.containsKey(Thread.currentThread()), "after the run, the loop thread shows its own (no) value");
            Callable<String> onExecutor = () -> String.valueOf(store.get(Thread.currentThread()));
            assertEquals("null", assertCompletes(loop.runInExecutor(null, onExecutor)), "nothing is left on the pool thread");
        } finally {
            requestId.mirrorTo(null);
        }
    }
}
