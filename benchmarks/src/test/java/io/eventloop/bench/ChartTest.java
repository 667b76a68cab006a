package io.eventloop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * benchmarks/python/chart.py, the chart every benchmarks/run-*.sh script draws, run as the scripts
 * run it on a small EchoBench result (src/test/resources/chart/echo: two loads, three servers, two
 * rounds, figures chosen so that every ratio is known) and on a chart data file. The tests run in
 * the module's directory, as Maven starts them.
 */
class ChartTest {
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final Path FIXTURES = Path.of("src/test/resources/chart");

    @TempDir
    Path dir;

    @Test
    void echoResultsDrawOneBarPerShapeAndPeerWithTheRoundsAsWhisker() throws Exception {
        Document svg = parse(chart(FIXTURES.resolve("echo"), dir.resolve("chart.svg")));

        // eventloop 2,300 requests against Netty's 2,000 and uvloop's 2,300, rounds 1,100 / 1,000
        // and 1,200 / 1,000; bulk 4,200 MiB against 3,300 and 4,200, rounds 2,000 / 1,600 and 2,200 / 1,700
        assertEquals(List.of(
                "1 KiB request/response: vs Netty 1.15×, spread 1.10–1.20",
                "1 KiB request/response: vs uvloop 1.00×, spread 0.96–1.04",
                "bulk streaming: vs Netty 1.27×, spread 1.25–1.29",
                "bulk streaming: vs uvloop 1.00×, spread 0.95–1.05"), titles(bars(svg)));
        assertEquals(4, byClass(svg, "path", "whisker").size());
        String title = svg.getDocumentElement().getElementsByTagNameNS(SVG, "title").item(0).getTextContent();
        assertEquals("Echo server over loopback (2026-01-02 03:04 UTC)", title);
        assertTrue(text(svg).contains("2 CPUs (Test CPU), OpenJDK 17.0.15, Netty 4.2.7.Final"), text(svg));
        assertTrue(text(svg).contains("Higher is better"), text(svg));
        assertEquals("800", svg.getDocumentElement().getAttribute("width"));
    }

    @Test
    void barsRunFromTheLevelLineOnALogScale() throws Exception {
        List<Element> bars = bars(parse(chart(FIXTURES.resolve("echo"), dir.resolve("chart.svg"))));
        Element rr1k = bars.get(0);
        Element bulk = bars.get(2);

        assertEquals(attribute(rr1k, "x"), attribute(bulk, "x"), 0.01); // both start at 1×
        double expected = Math.log(2300.0 / 2000) / Math.log(4200.0 / 3300);
        assertEquals(expected, attribute(rr1k, "width") / attribute(bulk, "width"), 0.01);
    }

    @Test
    void sameResultsGiveTheSameFile() throws Exception {
        byte[] first = Files.readAllBytes(chart(FIXTURES.resolve("echo"), dir.resolve("first.svg")));
        byte[] second = Files.readAllBytes(chart(FIXTURES.resolve("echo"), dir.resolve("second.svg")));

        assertArrayEquals(first, second);
    }

    @Test
    void dataFileWithoutSpreadDrawsItsBarsWithoutWhiskers() throws Exception {
        Document svg = parse(chart(FIXTURES.resolve("lower.json"), dir.resolve("chart.svg")));

        assertEquals(List.of("task create + finish: after / before 0.96×"), titles(bars(svg)));
        assertEquals(0, byClass(svg, "path", "whisker").size());
        assertTrue(text(svg).contains("Lower is better: left of the 1× line, after is ahead."), text(svg));
    }

    /** Runs chart.py as the scripts do and returns the SVG it wrote. */
    private static Path chart(Path source, Path out) throws IOException, InterruptedException {
        Process python;
        try {
            python = new ProcessBuilder("python3", "python/chart.py", source.toString(), out.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException missing) {
            Assumptions.abort("python3 is not installed: " + missing.getMessage());
            throw missing;
        }
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(60, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            throw new AssertionError("chart.py did not finish within 60 s: " + output);
        }
        assertEquals(0, python.exitValue(), output);
        return out;
    }

    private static Document parse(Path svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(svg.toFile()); // throws unless well-formed
    }

    private static List<Element> bars(Document svg) {
        return byClass(svg, "rect", "bar");
    }

    private static List<Element> byClass(Document svg, String tag, String cls) {
        List<Element> found = new ArrayList<>();
        NodeList all = svg.getElementsByTagNameNS(SVG, tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cls)) {
                found.add(e);
            }
        }
        return found;
    }

    private static List<String> titles(List<Element> elements) {
        List<String> titles = new ArrayList<>();
        for (Element e : elements) {
            titles.add(e.getElementsByTagNameNS(SVG, "title").item(0).getTextContent());
        }
        return titles;
    }

    private static double attribute(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    /** The text the chart shows, its lines joined by spaces (long sentences are wrapped at spaces). */
    private static String text(Document svg) {
        List<String> lines = new ArrayList<>();
        NodeList texts = svg.getElementsByTagNameNS(SVG, "text");
        for (int i = 0; i < texts.getLength(); i++) {
            lines.add(texts.item(i).getTextContent());
        }
        return String.join(" ", lines);
    }
}
