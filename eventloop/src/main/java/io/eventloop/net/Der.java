package io.eventloop.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few ASN.1 types that an X.509 certificate and a PKCS#8 key need, in DER (ITU-T X.690): the
 * writing half builds {@link SelfSignedCertificate}'s certificate and the PKCS#8 wrappers of
 * {@link Pem}; the reading half walks a SEC1 key to find its curve. Every encoder returns one
 * whole element (tag, length, contents) so that elements nest by concatenation.
 *
 * <p>Only tag numbers below 31 and definite lengths exist here; anything else is not DER that
 * these formats use. The JDK has a full codec ({@code sun.security.util.DerValue}), but the
 * library may not reach into {@code sun.*}.
 */
final class Der {
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0C;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    private static final int CONTEXT_PRIMITIVE = 0x80;
    private static final int CONTEXT_CONSTRUCTED = 0xA0;

    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'");

    private Der() {}

    static byte[] sequence(byte[]... elements) {
        return element(SEQUENCE, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return element(SET, concat(elements));
    }

    static byte[] integer(BigInteger value) {
        return element(INTEGER, value.toByteArray()); // two's complement, minimal: what DER asks
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] bool(boolean value) {
        return element(BOOLEAN, new byte[] {value ? (byte) 0xFF : 0});
    }

    static byte[] nullValue() {
        return element(NULL, new byte[0]);
    }

    /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code "2.5.4.3"}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        if (arcs.length < 2) {
            throw new IllegalArgumentException("an OID has at least two arcs: " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, 40 * Long.parseLong(arcs[0]) + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return element(OID, out.toByteArray());
    }

    static byte[] utf8String(String value) {
        return element(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] octetString(byte[] value) {
        return element(OCTET_STRING, value);
    }

    /** A BIT STRING whose last {@code unusedBits} bits (0 to 7) are padding. */
    static byte[] bitString(byte[] bits, int unusedBits) {
        byte[] content = new byte[bits.length + 1];
        content[0] = (byte) unusedBits;
        System.arraycopy(bits, 0, content, 1, bits.length);
        return element(BIT_STRING, content);
    }

    /**
     * A certificate validity time, to the second: UTCTime for the years 1950 to 2049 and
     * GeneralizedTime otherwise, as RFC 5280 section 4.1.2.5 requires (UTCTime's two-digit year
     * means 19xx from 50 on).
     */
    static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a certificate time must lie in the years 0 to 9999: " + instant);
        }
        if (year >= 1950 && year <= 2049) {
            return element(UTC_TIME, utc.format(UTC_TIME_FORMAT).getBytes(StandardCharsets.US_ASCII));
        }
        return element(GENERALIZED_TIME, utc.format(GENERALIZED_TIME_FORMAT).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code [tagNumber] EXPLICIT}: the whole inner element wrapped in a constructed tag. */
    static byte[] explicit(int tagNumber, byte[] element) {
        return element(CONTEXT_CONSTRUCTED | tagNumber, element);
    }

    /** {@code [tagNumber] IMPLICIT} over a primitive type: that type's contents under a new tag. */
    static byte[] implicit(int tagNumber, byte[] contents) {
        return element(CONTEXT_PRIMITIVE | tagNumber, contents);
    }

    static byte[] element(int tag, byte[] contents) {
        if ((tag & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("tag numbers from 31 up are not supported: 0x" + Integer.toHexString(tag));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int shift = 8 * (octets - 1); shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    /** Reads the one element that makes up all of {@code der}; trailing bytes are an error. */
    static Element read(byte[] der) throws IOException {
        Element e = readAt(der, 0, der.length);
        if (e.end != der.length) {
            throw new IOException("malformed DER: " + (der.length - e.end) + " bytes after the outer element");
        }
        return e;
    }

    private static Element readAt(byte[] der, int start, int limit) throws IOException {
        if (limit - start < 2) {
            throw new IOException("malformed DER: truncated element at offset " + start);
        }
        int tag = der[start] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IOException("malformed DER: multi-byte tag at offset " + start);
        }
        int pos = start + 1;
        int first = der[pos++] & 0xFF;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7F;
            if (octets == 0 || octets > 4) {
                throw new IOException("malformed DER: length of " + octets + " octets at offset " + start);
            }
            if (limit - pos < octets) {
                throw new IOException("malformed DER: truncated length at offset " + start);
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[pos++] & 0xFF);
            }
        }
        if (length > limit - pos) {
            throw new IOException("malformed DER: element at offset " + start + " runs " + length
                    + " bytes past a limit " + (limit - pos) + " bytes away");
        }
        return new Element(der, tag, start, pos, pos + (int) length);
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
            int seven = (int) (value >>> (7 * g)) & 0x7F;
            out.write(g == 0 ? seven : seven | 0x80);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** One element read from a DER buffer; it shares the buffer, which nobody may change. */
    static final class Element {
        private final byte[] der;
        final int tag;
        private final int start;
        private final int contentsStart;
        private final int end;

        private Element(byte[] der, int tag, int start, int contentsStart, int end) {
            this.der = der;
            this.tag = tag;
            this.start = start;
            this.contentsStart = contentsStart;
            this.end = end;
        }

        /** Whether this is a {@code [tagNumber] EXPLICIT} element. */
        boolean isExplicit(int tagNumber) {
            return tag == (CONTEXT_CONSTRUCTED | tagNumber);
        }

        /** The whole element: tag, length and contents. */
        byte[] encoded() {
            return Arrays.copyOfRange(der, start, end);
        }

        /** The elements inside a constructed element (a SEQUENCE, a SET, an explicit tag). */
        List<Element> children() throws IOException {
            if ((tag & 0x20) == 0) {
                throw new IOException("malformed DER: primitive element 0x" + Integer.toHexString(tag) + " has no children");
            }
            List<Element> out = new ArrayList<>();
            for (int pos = contentsStart; pos < end; ) {
                Element child = readAt(der, pos, end);
                out.add(child);
                pos = child.end;
            }
            return out;
        }
    }
}
