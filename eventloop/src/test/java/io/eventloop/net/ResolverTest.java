package io.eventloop.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResolverTest {
    @Test
    void numericAddressesAreParsedOnTheLoopAndNamesAreNot() {
        assertTrue(Resolver.isLiteral("127.0.0.1"));
        assertTrue(Resolver.isLiteral("::1"));
        assertTrue(Resolver.isLiteral("[::1]"));
        assertTrue(Resolver.isLiteral("fe80::1%lo"));
        assertFalse(Resolver.isLiteral("localhost"));
        assertFalse(Resolver.isLiteral("999.1.1.1"), "not an address: getByName would look it up");
        assertFalse(Resolver.isLiteral("1.2.3"));
    }
}
