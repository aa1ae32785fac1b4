package org.acme.sse.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the guides true to the code, the way {@code include::} does for asciidoc guides.
 *
 * In a chapter's README.md (or a page of docs/), a line {@code <!-- snippet: src/main/java/.../X.java -->}
 * right before a fenced code block says: this block is an excerpt of that file (path relative to the
 * Markdown file). The excerpt must appear in the file as consecutive lines, compared line by line without
 * leading and trailing whitespace, so a guide may re-indent an excerpt but not change a character of it.
 */
class GuideSnippetsTest {

    private static final Pattern MARKER = Pattern.compile("^<!--\\s*snippet:\\s*(\\S+)\\s*-->\\s*$");

    record Snippet(Path guide, int line, Path source, List<String> lines) {
        String name() {
            return Guides.root().relativize(guide) + ":" + line + " quotes " + Guides.root().relativize(source);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyQuotedBlockAppearsInItsFile() throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (Path guide : Guides.chapterGuidesAndDocs()) {
            snippets.addAll(snippetsIn(guide));
        }
        assertFalse(snippets.isEmpty(), "no snippets found: the guides should quote their code");
        return snippets.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> assertQuoted(s)));
    }

    @Test
    void everyChapterGuideQuotesItsCode() throws IOException {
        List<Path> chapterGuides = Guides.chapterGuides();
        assertFalse(chapterGuides.isEmpty(), "no chapter guides found under " + Guides.root().resolve("chapters"));
        for (Path guide : chapterGuides) {
            assertFalse(snippetsIn(guide).isEmpty(), guide + " quotes no code with a snippet marker");
        }
    }

    @Test
    void aChangedLineIsCaught() throws IOException {
        // The check itself must be able to fail: quote a real file with one character changed.
        Path source = Guides.root().resolve("testing/src/test/java/org/acme/sse/testing/GuideSnippetsTest.java");
        List<String> real = List.of("class GuideSnippetsTest {");
        List<String> altered = List.of("class GuideSnippetTest {");
        assertTrue(containsExcerpt(Files.readAllLines(source), real));
        assertFalse(containsExcerpt(Files.readAllLines(source), altered));
    }

    private static void assertQuoted(Snippet snippet) throws IOException {
        if (!Files.isRegularFile(snippet.source())) {
            fail(snippet.name() + ": the quoted file does not exist");
        }
        List<String> fileLines = Files.readAllLines(snippet.source(), StandardCharsets.UTF_8);
        if (!containsExcerpt(fileLines, snippet.lines())) {
            fail(snippet.name() + ": the block no longer appears verbatim in the file:\n"
                    + String.join("\n", snippet.lines()));
        }
    }

    static boolean containsExcerpt(List<String> fileLines, List<String> excerpt) {
        List<String> file = fileLines.stream().map(String::strip).toList();
        List<String> wanted = excerpt.stream().map(String::strip).toList();
        if (wanted.isEmpty()) {
            return false;
        }
        for (int start = 0; start + wanted.size() <= file.size(); start++) {
            if (file.subList(start, start + wanted.size()).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static List<Snippet> snippetsIn(Path guide) throws IOException {
        List<String> lines = Files.readAllLines(guide, StandardCharsets.UTF_8);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i).strip());
            if (!marker.matches()) {
                continue;
            }
            int fence = i + 1;
            while (fence < lines.size() && lines.get(fence).isBlank()) {
                fence++;
            }
            if (fence >= lines.size() || !lines.get(fence).strip().startsWith("```")) {
                fail(guide + ":" + (i + 1) + ": a snippet marker must be followed by a fenced code block");
            }
            int end = fence + 1;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            Path source = guide.getParent().resolve(marker.group(1)).normalize();
            snippets.add(new Snippet(guide, i + 1, source, lines.subList(fence + 1, end)));
            i = end;
        }
        return snippets;
    }
}
