package io.eventloop.sync;

import io.eventloop.Async;
import io.eventloop.FakeTimeLoop;
import io.eventloop.Future;
import java.util.Arrays;
import java.util.List;

/** Test helper: runs the loop until every future given is done, whatever its outcome. */
final class Settle {
    private Settle() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void all(FakeTimeLoop f, Future<?>... futures) {
        List<Future<Object>> list = (List) Arrays.asList(futures);
        f.run(Async.gatherSettled(list));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void all(FakeTimeLoop f, List<? extends Future<?>> futures) {
        f.run(Async.gatherSettled((List<Future<Object>>) (List) futures));
    }
}
