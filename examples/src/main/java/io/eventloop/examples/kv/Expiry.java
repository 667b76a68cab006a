package io.eventloop.examples.kv;

import io.eventloop.EventLoop;
import java.time.Duration;

/**
 * The active half of expiry, after Redis's {@code activeExpireCycle}: keys with a deadline that
 * nobody touches would otherwise stay forever. Each cycle samples {@value #SAMPLE} keys among
 * those with a deadline, removes the stale ones, and samples again while more than a quarter of a
 * sample was stale, until none are left or the cycle's time budget is spent (the clock is read
 * every 16 samples, as Redis does, since reading it costs). The lazy half is in
 * {@link Keyspace#find}: a key past its deadline is removed when a command looks it up.
 *
 * <p>The random choice is a xorshift generator with a fixed seed, so a test on the fake clock
 * sees the same cycle every run. Loop thread only.
 */
final class Expiry {
    /** Keys sampled per round: Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
    static final int SAMPLE = 20;

    private final Keyspace keyspace;
    private final EventLoop loop;
    private long seed = 0x9E3779B97F4A7C15L;
    /** Counters for INFO-like reporting and tests: keys removed, cycles run, cycles cut by the budget. */
    long expired;
    long cycles;
    long timedOut;

    Expiry(Keyspace keyspace, EventLoop loop) {
        this.keyspace = keyspace;
        this.loop = loop;
    }

    /** One cycle, spending at most about {@code budget} of loop time. */
    void cycle(Duration budget) {
        cycles++;
        long start = loop.time();
        long budgetNanos = budget.toNanos();
        long nowMs = start / 1_000_000;
        for (int round = 0; keyspace.deadlineCount() > 0; round++) {
            int sampled = Math.min(SAMPLE, keyspace.deadlineCount());
            int stale = 0;
            for (int i = 0; i < sampled && keyspace.deadlineCount() > 0; i++) {
                int e = keyspace.entryWithDeadline(random(keyspace.deadlineCount()));
                if (keyspace.deadline(e) <= nowMs) {
                    keyspace.remove(e);
                    stale++;
                }
            }
            expired += stale;
            if (stale * 4 <= sampled) {
                return; // a quarter or fewer were stale: not worth another round now
            }
            if ((round & 15) == 15 && loop.time() - start > budgetNanos) {
                timedOut++;
                return;
            }
        }
    }

    private int random(int bound) {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return (int) ((seed >>> 1) % bound);
    }
}
