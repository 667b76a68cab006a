package io.eventloop.redis;

import static io.eventloop.testing.LoopAssertions.assertCompletes;
import static io.eventloop.testing.LoopAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventloop.testing.EventLoopTest;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials and databases against a real {@code redis-server} that requires a password for its
 * default user and has an ACL user {@code app}: AUTH in RESP2, HELLO AUTH in RESP3, SELECT.
 */
@EventLoopTest
class RedisAuthTest {
    private static RedisServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServer.start("--requirepass", "secret", "--user", "app", "on", ">apppass", "~*", "&*", "+@all");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static <T> T with(RedisOptions options, Function<RedisClient, T> body) {
        RedisClient client = assertCompletes(RedisClient.connect("127.0.0.1", server.port, options));
        try {
            return body.apply(client);
        } finally {
            assertCompletes(client.closeAsync());
        }
    }

    @Test
    void withoutAPasswordCommandsAreRefused() {
        RedisException e = with(RedisOptions.defaults(), c -> assertFails(RedisException.class, c.get("k")));
        assertEquals("NOAUTH", e.code());
        assertEquals("NOAUTH Authentication required.", e.getMessage());
    }

    @Test
    void thePasswordOfTheDefaultUser() {
        assertEquals("default", with(RedisOptions.defaults().password("secret"),
                c -> assertCompletes(c.command("ACL", "WHOAMI"))));
    }

    @Test
    void anAclUserInResp2AndResp3() {
        for (int protocol : new int[] {2, 3}) {
            assertEquals("app", with(RedisOptions.defaults().credentials("app", "apppass").protocol(protocol),
                    c -> assertCompletes(c.command("ACL", "WHOAMI"))), "protocol " + protocol);
        }
    }

    @Test
    void aWrongPasswordFailsTheConnect() {
        RedisException e = assertFails(RedisException.class,
                RedisClient.connect("127.0.0.1", server.port, RedisOptions.defaults().credentials("app", "wrong")));
        assertEquals("WRONGPASS", e.code());
        assertEquals("AUTH", e.command());
        RedisException hello = assertFails(RedisException.class, RedisClient.connect("127.0.0.1", server.port,
                RedisOptions.defaults().credentials("app", "wrong").protocol(3)));
        assertEquals("WRONGPASS", hello.code());
        assertEquals("HELLO", hello.command());
    }

    @Test
    void theDatabaseIsSelectedOnEveryConnection() {
        RedisOptions db3 = RedisOptions.defaults().password("secret").database(3).clientName("db3-client");
        assertEquals("db 3", with(db3, c -> {
            assertCompletes(c.set("where", "db 3"));
            String info = (String) assertCompletes(c.command("CLIENT", "INFO"));
            assertTrue(info.contains(" db=3 "), info);
            assertTrue(info.contains(" name=db3-client "), info);
            // the pool's connections select it too
            assertNull(assertCompletes(c.blpop(java.time.Duration.ofMillis(10), "nothing")));
            return assertCompletes(c.withConnection(d -> d.get("where")));
        }));
        assertEquals("db 3", with(db3, c -> assertCompletes(c.get("where"))));
        assertNull(with(RedisOptions.defaults().password("secret"), c -> assertCompletes(c.get("where"))));
        RedisException e = assertFails(RedisException.class, RedisClient.connect("127.0.0.1", server.port,
                RedisOptions.defaults().password("secret").database(99)));
        assertEquals("ERR DB index is out of range", e.getMessage());
    }
}
