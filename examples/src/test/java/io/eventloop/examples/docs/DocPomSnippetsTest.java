package io.eventloop.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The {@code ```xml} blocks of the pages (the README's pom, the dependency snippets) name the
 * versions this project builds with: its own version for its artifacts, and the versions its
 * parent pom pins for the libraries and plugins they mention. A version bump that leaves a page
 * behind fails here. Compiling a project from them is checked by hand (it needs the library
 * installed); the README's Java file is compiled by {@link DocSnippetsTest}.
 */
class DocPomSnippetsTest {
    private static final String DEFAULT_PLUGIN_GROUP = "org.apache.maven.plugins";

    @Test
    void everyPomSnippetNamesTheVersionsTheProjectBuildsWith() throws Exception {
        Path root = DocSnippetsTest.root();
        Element pom = parse(Files.readString(root.resolve("pom.xml"))).getDocumentElement();
        Map<String, String> properties = new HashMap<>();
        for (Element p : children(child(pom, "properties"))) {
            properties.put(p.getTagName(), p.getTextContent().strip());
        }
        properties.put("project.version", text(pom, "version"));
        Map<String, String> pinned = new HashMap<>();
        for (Element d : all(child(pom, "dependencyManagement"), "dependency")) {
            pinned.put(text(d, "groupId") + ":" + text(d, "artifactId"), resolve(text(d, "version"), properties));
        }
        for (Element p : all(child(pom, "build"), "plugin")) {
            pinned.put(group(p) + ":" + text(p, "artifactId"), resolve(text(p, "version"), properties));
        }

        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path page : DocSnippetsTest.pages(root)) {
            String name = root.relativize(page).toString().replace('\\', '/');
            for (CodeBlock block : CodeBlock.read(page, name, "xml").blocks()) {
                String xml = block.code().replaceFirst("^<\\?xml[^>]*\\?>", "");
                Element snippet = parse("<snippet>" + xml + "</snippet>").getDocumentElement();
                List<Element> artifacts = new ArrayList<>(all(snippet, "dependency"));
                artifacts.addAll(all(snippet, "plugin"));
                for (Element artifact : artifacts) {
                    String key = (artifact.getTagName().equals("plugin") ? group(artifact) : text(artifact, "groupId"))
                            + ":" + text(artifact, "artifactId");
                    String want = pinned.get(key);
                    String have = text(artifact, "version");
                    if (want != null && have != null) {
                        checked++;
                        if (!want.equals(have)) {
                            wrong.add(block.where() + ": " + key + " " + have + ", but the project builds with " + want);
                        }
                    }
                }
                for (Element release : all(snippet, "release")) {
                    checked++;
                    String want = properties.get("maven.compiler.release");
                    if (!want.equals(release.getTextContent().strip())) {
                        wrong.add(block.where() + ": <release>" + release.getTextContent().strip()
                                + "</release>, but the project's baseline is " + want);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 8, "only " + checked + " versions found in the pages' xml blocks");
    }

    private static String resolve(String value, Map<String, String> properties) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(properties.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    private static String group(Element plugin) {
        String group = text(plugin, "groupId");
        return group == null ? DEFAULT_PLUGIN_GROUP : group;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    /** The text of {@code parent}'s child element {@code tag}, or null. */
    private static String text(Element parent, String tag) {
        Element child = child(parent, tag);
        return child == null ? null : child.getTextContent().strip();
    }

    private static Element child(Element parent, String tag) {
        for (Element child : children(parent)) {
            if (child.getTagName().equals(tag)) {
                return child;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        if (parent != null) {
            NodeList nodes = parent.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                    children.add((Element) nodes.item(i));
                }
            }
        }
        return children;
    }

    private static List<Element> all(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            NodeList nodes = parent.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }
}
