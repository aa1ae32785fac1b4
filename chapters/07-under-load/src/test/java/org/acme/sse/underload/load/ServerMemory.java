package org.acme.sse.underload.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's resident memory (RSS, from /proc) and live heap, in KB; -1 when not measured.
 *
 * <p>
 * Live heap: for a JVM, the bytes of live objects that {@code jcmd <pid> GC.class_histogram} counts after the full
 * GC it runs first; for Node, {@code heapUsed + external} after {@code global.gc()}, which the reference server
 * reports at {@code GET /memory} (it runs with {@code --expose-gc}).
 */
record ServerMemory(double rssKb, double heapKb) {

    enum Runtime {
        JAVA, NODE
    }

    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");
    private static final Pattern NODE_HEAP = Pattern.compile("\"live\":(\\d+)");

    /** Summed over several servers (pid i serves URL i); -1 when none is given. */
    static ServerMemory measure(List<Long> pids, Runtime runtime, List<URI> servers)
            throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return new ServerMemory(-1, -1);
        }
        double rss = 0;
        double heap = 0;
        for (int i = 0; i < pids.size(); i++) {
            ServerMemory one = measure(pids.get(i), runtime, servers.get(i));
            if (one.rssKb() < 0 || one.heapKb() < 0) {
                return new ServerMemory(-1, -1);
            }
            rss += one.rssKb();
            heap += one.heapKb();
        }
        return new ServerMemory(rss, heap);
    }

    static ServerMemory measure(long pid, Runtime runtime, URI server) throws IOException, InterruptedException {
        if (pid <= 0) {
            return new ServerMemory(-1, -1);
        }
        double heap = runtime == Runtime.JAVA ? javaLiveHeapKb(pid) : nodeLiveHeapKb(server);
        // After the full GC: what is resident then is what the streams need, not garbage waiting to be collected.
        return new ServerMemory(rssKb(pid), heap);
    }

    private static double rssKb(long pid) throws IOException {
        Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static double javaLiveHeapKb(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(List.of("jcmd", Long.toString(pid), "GC.class_histogram"))
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        Matcher m = TOTAL.matcher(out);
        if (!m.find()) {
            throw new IOException("no Total line from jcmd " + pid + " GC.class_histogram: " + out.lines()
                    .limit(3).toList());
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private static double nodeLiveHeapKb(URI server) throws IOException, InterruptedException {
        URI memory = URI.create("http://" + server.getHost() + ":" + server.getPort() + "/memory");
        String body = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(memory).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = NODE_HEAP.matcher(body);
        if (!m.find()) {
            throw new IOException("no \"live\" in " + memory + ": " + body);
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }
}
