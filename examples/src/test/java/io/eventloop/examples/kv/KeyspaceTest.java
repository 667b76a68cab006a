package io.eventloop.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one map against {@code HashMap}: random adds, removes and deadlines agree, step by step. */
class KeyspaceTest {
    private static int find(Keyspace ks, String key, long now) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return ks.find(ByteBuffer.wrap(b), 0, b.length, now);
    }

    @Test
    void randomOperationsAgreeWithAHashMap() {
        Keyspace ks = new Keyspace();
        Map<String, String> model = new HashMap<>();
        Map<String, Long> deadlines = new HashMap<>();
        Random r = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            String key = "k" + r.nextInt(3000);
            int e = find(ks, key, 0);
            assertEquals(model.containsKey(key), e >= 0, key + " at step " + step);
            switch (r.nextInt(4)) {
                case 0, 1 -> {
                    String value = "v" + step;
                    if (e < 0) {
                        ks.add(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
                    } else {
                        ks.setValue(e, value.getBytes(StandardCharsets.UTF_8));
                    }
                    model.put(key, value);
                }
                case 2 -> {
                    if (e >= 0) {
                        ks.remove(e);
                        model.remove(key);
                        deadlines.remove(key);
                    }
                }
                default -> {
                    if (e >= 0) {
                        long d = r.nextBoolean() ? Keyspace.NO_DEADLINE : 1000 + r.nextInt(1000);
                        ks.setDeadline(e, d);
                        if (d == Keyspace.NO_DEADLINE) {
                            deadlines.remove(key);
                        } else {
                            deadlines.put(key, d);
                        }
                    }
                }
            }
            if (e >= 0 && model.containsKey(key)) {
                assertEquals(model.get(key), new String((byte[]) ks.value(find(ks, key, 0)), StandardCharsets.UTF_8));
            }
        }
        assertEquals(model.size(), ks.size());
        assertEquals(deadlines.size(), ks.deadlineCount());
        for (int i = 0; i < ks.deadlineCount(); i++) {
            int e = ks.entryWithDeadline(i);
            String key = new String(ks.key(e), StandardCharsets.UTF_8);
            assertEquals(deadlines.get(key), ks.deadline(e));
        }
        for (Map.Entry<String, Long> d : deadlines.entrySet()) {
            assertTrue(find(ks, d.getKey(), 5000) < 0, "past its deadline: removed on lookup");
        }
        assertEquals(model.size() - deadlines.size(), ks.size());
        assertEquals(0, ks.deadlineCount());
    }
}
