package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    @Test
    void rowsComeBackAndTheTickerKeepsTickingWhileASlowQueryRuns() throws Exception {
        // at 0.3 the 1 s query takes 0.3 s: room for the ticker even on a busy machine
        List<String> lines = Outputs.runScaled(0.3, Database::main);
        assertEquals(List.of("1 alice", "2 bob", "3 carol", "slow query started"), lines.subList(0, 4));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("ticks while the query ran: "), lines::toString);
        int ticks = Integer.parseInt(last.substring(last.lastIndexOf(' ') + 1));
        // a 1 s query and a 0.2 s ticker: about 5; a blocked loop would show 0
        assertTrue(ticks >= 3, "the loop stayed free while the query ran: " + lines);
        assertEquals(List.of("tick"), lines.subList(4, 4 + ticks).stream().distinct().toList());
        assertEquals("slow query done", lines.get(4 + ticks));
        assertEquals(6 + ticks, lines.size(), lines::toString);
    }
}
