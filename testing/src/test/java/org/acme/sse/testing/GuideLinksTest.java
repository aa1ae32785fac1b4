package org.acme.sse.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every relative link in the READMEs and docs/ points to a file that exists, and every link written as
 * [`testMethodName`](path/to/SomeTest.java) names a method that the linked file really has: the docs claim
 * that a test shows something, so the test must be there.
 */
class GuideLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
    private static final Pattern METHOD = Pattern.compile("`([a-z][A-Za-z0-9]*)`");

    @TestFactory
    Stream<DynamicTest> everyRelativeLinkResolves() throws IOException {
        Path root = Guides.root();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path markdown : markdownFiles(root)) {
            String text = Files.readString(markdown, StandardCharsets.UTF_8);
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String label = link.group(1);
                String target = link.group(2);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // http(s), mailto, in-page anchors
                }
                Path file = markdown.getParent().resolve(target.replaceAll("#.*$", "")).normalize();
                String name = root.relativize(markdown) + " -> " + target;
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    assertTrue(Files.exists(file), name + ": no such file");
                    Matcher method = METHOD.matcher(label);
                    if (method.matches() && file.toString().endsWith(".java")) {
                        assertTrue(Files.readString(file).contains(" " + method.group(1) + "("),
                                name + ": the file has no method " + method.group(1));
                    }
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no links found");
        return tests.stream();
    }

    private static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        files.addAll(Guides.chapterGuidesAndDocs());
        return files;
    }
}
