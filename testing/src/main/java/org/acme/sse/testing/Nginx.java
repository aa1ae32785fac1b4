package org.acme.sse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real nginx for a test: started from a chapter's shipped configuration template, on free loopback ports, as a
 * child process in the foreground, and stopped by {@link #close()}.
 *
 * <pre>
 * try (Nginx nginx = Nginx.fromTemplate(Path.of("nginx.conf"))
 *         .set("QUARKUS", "127.0.0.1:" + quarkusPort)
 *         .freePort("HTTP_PORT")
 *         .replace("proxy_buffering off;", "proxy_buffering on;") // a variant of the shipped file
 *         .start()) {
 *     URI uri = nginx.uri("HTTP_PORT", "/sse");
 * }
 * </pre>
 *
 * The template's placeholders are {@code ${NAME}} (capital letters, digits, underscores; nginx's own variables
 * are lower case); one left unfilled fails the test. The configuration, its relative paths (logs, temporary
 * files, a certificate) and nginx's output live in a fresh temporary directory, nginx's prefix. The binary is
 * the one named by the environment variable {@code NGINX_PATH}, else Debian's {@code /usr/sbin/nginx}; when there
 * is none the test fails and says how to install it.
 */
public final class Nginx implements AutoCloseable {

    public static final String PATH_VARIABLE = "NGINX_PATH";
    private static final Path DEBIAN_NGINX = Paths.get("/usr/sbin/nginx");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path prefix;
    private final Map<String, Integer> ports;

    private Nginx(Process process, Path prefix, Map<String, Integer> ports) {
        this.process = process;
        this.prefix = prefix;
        this.ports = ports;
    }

    public static Builder fromTemplate(Path template) {
        return new Builder(template);
    }

    /** The port given to the placeholder {@code name} by {@link Builder#freePort(String)}. */
    public int port(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no port named " + name + "; ports: " + ports.keySet());
        }
        return port;
    }

    /** {@code http://127.0.0.1:<port>/path}. */
    public URI uri(String portName, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port(portName) + pathAndQuery);
    }

    /** nginx's prefix: the configuration, and whatever the configuration names with a relative path. */
    public Path prefix() {
        return prefix;
    }

    /** A file under the prefix as text ("" when nginx has not written it yet), such as the access log. */
    public String read(String relativePath) {
        Path file = prefix.resolve(relativePath);
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What nginx wrote to stdout and stderr (its error log, with {@code error_log stderr}). */
    public String output() {
        return read("nginx.out");
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(prefix);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans up what is left
        }
    }

    /** The configuration of one nginx: placeholders, ports, variants; then {@link #start()}. */
    public static final class Builder {
        private final Path template;
        private final Path prefix;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, Integer> ports = new LinkedHashMap<>();
        private final Map<String, String> replacements = new LinkedHashMap<>();

        private Builder(Path template) {
            if (!Files.isRegularFile(template)) {
                throw new AssertionError("nginx template not found: " + template.toAbsolutePath());
            }
            this.template = template;
            try {
                this.prefix = Files.createTempDirectory("nginx-test-");
                Files.createDirectories(prefix.resolve("tmp"));
                Files.createDirectories(prefix.resolve("logs")); // nginx opens logs/error.log before it reads the config
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Fills the placeholder {@code ${name}} with {@code value}. */
        public Builder set(String name, String value) {
            values.put(name, value);
            return this;
        }

        /** Fills {@code ${name}} with a free loopback port; {@link #start()} waits until nginx accepts on it. */
        public Builder freePort(String name) {
            int port = freeLoopbackPort();
            ports.put(name, port);
            return set(name, Integer.toString(port));
        }

        /**
         * A variant of the shipped configuration: every occurrence of {@code text} becomes {@code replacement}.
         * Fails when the template does not contain {@code text}, so that a variant cannot silently test nothing.
         */
        public Builder replace(String text, String replacement) {
            replacements.put(text, replacement);
            return this;
        }

        /** The prefix directory, for files the configuration names (a certificate, for example). */
        public Path prefix() {
            return prefix;
        }

        public Nginx start() {
            Path binary = binary();
            String config = configuration();
            Path configFile = prefix.resolve("nginx.conf");
            Path output = prefix.resolve("nginx.out");
            Process process;
            try {
                Files.writeString(configFile, config, StandardCharsets.UTF_8);
                // In the foreground, one process: no daemon to lose, no worker that switches to another user.
                process = new ProcessBuilder(binary.toString(), "-p", prefix + "/", "-c", configFile.toString(),
                        "-g", "daemon off; master_process off;")
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
            } catch (IOException e) {
                throw new AssertionError("could not start " + binary + ": " + e.getMessage(), e);
            }
            Nginx nginx = new Nginx(process, prefix, Map.copyOf(ports));
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            for (int port : ports.values()) {
                while (!accepts(port)) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        String out = nginx.output();
                        nginx.close();
                        throw new AssertionError("nginx did not start (listening on " + ports + " expected):\n" + out
                                + "\nconfiguration:\n" + config);
                    }
                    sleep(20);
                }
            }
            return nginx;
        }

        private String configuration() {
            String config;
            try {
                config = Files.readString(template, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Map.Entry<String, String> replacement : replacements.entrySet()) {
                if (!config.contains(replacement.getKey())) {
                    throw new AssertionError(template + " no longer contains \"" + replacement.getKey()
                            + "\", which this test replaces with \"" + replacement.getValue() + "\"");
                }
                config = config.replace(replacement.getKey(), replacement.getValue());
            }
            Matcher placeholder = PLACEHOLDER.matcher(config);
            StringBuilder filled = new StringBuilder();
            while (placeholder.find()) {
                String value = values.get(placeholder.group(1));
                if (value == null) {
                    throw new AssertionError(template + " has the placeholder " + placeholder.group()
                            + ", which the test did not fill in; filled in: " + values.keySet());
                }
                placeholder.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
            placeholder.appendTail(filled);
            return filled.toString();
        }
    }

    private static Path binary() {
        String configured = System.getenv(PATH_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError(PATH_VARIABLE + " is set to " + configured + ", which is not an executable file");
            }
            return path;
        }
        if (!Files.isExecutable(DEBIAN_NGINX)) {
            throw new AssertionError("No nginx at " + DEBIAN_NGINX + ": install nginx: apt-get install nginx"
                    + " (or set " + PATH_VARIABLE + " to an nginx binary)");
        }
        return DEBIAN_NGINX;
    }

    /** A port that is free now on 127.0.0.1 (another process could take it before nginx does; rare enough). */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
