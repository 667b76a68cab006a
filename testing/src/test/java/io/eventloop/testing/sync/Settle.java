package io.eventloop.testing.sync;

import static io.eventloop.testing.LoopAssertions.assertCompletes;

import io.eventloop.Async;
import io.eventloop.Future;
import java.util.Arrays;
import java.util.List;

/** Test helper: runs the loop until every future given is done, whatever its outcome. */
final class Settle {
    private Settle() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void all(Future<?>... futures) {
        all((List) Arrays.asList(futures));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void all(List<? extends Future<?>> futures) {
        assertCompletes(Async.gatherSettled((List<Future<Object>>) (List) futures));
    }
}
