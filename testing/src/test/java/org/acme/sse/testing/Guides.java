package org.acme.sse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the guides are: the project root, and its Markdown pages (root README, chapter guides, docs/). */
final class Guides {

    private Guides() {
    }

    /** The directory that holds chapters/, found by walking up from where Maven runs the tests. */
    static Path root() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("chapters"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no chapters/ directory above " + Paths.get("").toAbsolutePath());
        }
        return dir;
    }

    /** chapters/NN-x/README.md, in chapter order. */
    static List<Path> chapterGuides() throws IOException {
        try (Stream<Path> chapters = Files.list(root().resolve("chapters"))) {
            return chapters.map(dir -> dir.resolve("README.md")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** docs/*.md. */
    static List<Path> docs() throws IOException {
        Path docs = root().resolve("docs");
        if (!Files.isDirectory(docs)) {
            return List.of();
        }
        try (Stream<Path> pages = Files.list(docs)) {
            return pages.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    /** The chapter guides, then docs/. */
    static List<Path> chapterGuidesAndDocs() throws IOException {
        List<Path> pages = new ArrayList<>(chapterGuides());
        pages.addAll(docs());
        return pages;
    }
}
