package io.eventloop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FetchDataTest {
    @Test
    void bothVersionsReceiveTheData() throws Exception {
        assertEquals(List.of("Data received", "Data received"), Outputs.run(FetchData::main));
    }
}
