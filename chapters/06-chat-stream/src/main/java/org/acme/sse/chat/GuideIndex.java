package org.acme.sse.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/**
 * The tutorial's own guides, one Lucene document per section ({@code ## heading}), searched with BM25.
 *
 * The guides are packaged at build time under {@code guides/} (see the pom): the root README, whose relative
 * links to {@code .md} files are the list of guides to read, so a new chapter is found without a list here.
 */
@Startup // indexed when the app starts, not on the first question
@ApplicationScoped
public class GuideIndex {

    private static final Logger LOG = Logger.getLogger(GuideIndex.class);
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s#]+\\.md)\\)");

    /** One section of a guide: where it is, its titles, and its Markdown. */
    public record Passage(String path, String guideTitle, String heading, String markdown) {
    }

    /**
     * English stop words, and the words of a question: without them, "what is the weather in Paris?" would
     * match every section headed "What you will build", and the generator would answer it.
     */
    private static final CharArraySet STOP_WORDS = stopWords("what", "which", "who", "whom", "why", "how", "when",
            "where", "do", "does", "did", "done", "can", "could", "should", "would", "i", "me", "my", "we", "our",
            "you", "your", "please", "tell", "explain", "show", "about", "get", "make", "use", "work", "works");

    private final Analyzer analyzer = new EnglishAnalyzer(STOP_WORDS);
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private IndexSearcher searcher;
    private int sections;

    @PostConstruct
    void build() throws IOException {
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (String path : guidePaths()) {
                String markdown = read(path);
                if (markdown == null) {
                    continue;
                }
                for (Passage passage : sections(path, markdown)) {
                    Document doc = new Document();
                    doc.add(new StoredField("path", passage.path()));
                    doc.add(new StoredField("guideTitle", passage.guideTitle()));
                    doc.add(new TextField("heading", passage.heading(), Field.Store.YES));
                    doc.add(new TextField("text", passage.markdown(), Field.Store.YES));
                    writer.addDocument(doc);
                    sections++;
                }
            }
        }
        searcher = new IndexSearcher(DirectoryReader.open(directory));
        LOG.infof("indexed %d sections of the tutorial's guides", sections);
    }

    /** The sections that best match the question, best first; empty when none shares a word with it. */
    public List<Passage> search(String question, int limit) {
        QueryParser parser = new MultiFieldQueryParser(new String[] { "heading", "text" }, analyzer);
        Query query;
        try {
            query = parser.parse(QueryParser.escape(question));
        } catch (ParseException e) {
            return List.of(); // only stop words, or nothing at all
        }
        try {
            List<Passage> passages = new ArrayList<>();
            for (ScoreDoc hit : searcher.search(query, limit).scoreDocs) {
                Document doc = searcher.storedFields().document(hit.doc);
                passages.add(new Passage(doc.get("path"), doc.get("guideTitle"), doc.get("heading"), doc.get("text")));
            }
            return passages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int sections() {
        return sections;
    }

    private static CharArraySet stopWords(String... questionWords) {
        CharArraySet stopWords = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        stopWords.addAll(List.of(questionWords));
        return CharArraySet.unmodifiableSet(stopWords);
    }

    private static Set<String> guidePaths() {
        Set<String> paths = new LinkedHashSet<>();
        String readme = read("README.md");
        if (readme == null) {
            throw new IllegalStateException("guides/README.md is not on the class path: build with Maven");
        }
        Matcher link = MARKDOWN_LINK.matcher(readme);
        while (link.find()) {
            paths.add(link.group(1));
        }
        return paths;
    }

    private static String read(String path) {
        try (InputStream in = GuideIndex.class.getClassLoader().getResourceAsStream("guides/" + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a guide at its {@code ## } headings (not inside code blocks), dropping what a reader of an answer cannot use. */
    static List<Passage> sections(String path, String markdown) {
        List<Passage> passages = new ArrayList<>();
        String guideTitle = path;
        String heading = null;
        StringBuilder text = new StringBuilder();
        boolean inCode = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode && line.startsWith("# ")) {
                guideTitle = line.substring(2).strip();
                continue;
            }
            if (!inCode && line.startsWith("## ")) {
                add(passages, path, guideTitle, heading, text);
                heading = line.substring(3).strip();
                text.setLength(0);
                continue;
            }
            if (!inCode && (line.startsWith("<!--") || line.startsWith("!["))) {
                continue; // snippet markers and screenshots
            }
            // [label](target) -> label: the answer is read on a page where the guide's relative links lead nowhere.
            text.append(inCode ? line : line.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")).append('\n');
        }
        add(passages, path, guideTitle, heading, text);
        return passages;
    }

    private static void add(List<Passage> passages, String path, String guideTitle, String heading, CharSequence text) {
        String body = text.toString().strip();
        if (!body.isEmpty()) {
            passages.add(new Passage(path, guideTitle, heading == null ? guideTitle : heading, body));
        }
    }
}
