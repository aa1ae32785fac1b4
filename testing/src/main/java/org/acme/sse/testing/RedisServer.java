package org.acme.sse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Redis for a test: Debian's {@code /usr/bin/redis-server} (or the binary named by {@code REDIS_SERVER_PATH})
 * started as a child process on a free loopback port, with its files in a temporary directory that is deleted
 * after. Without persistence by default; {@link #withAppendOnly()} turns the append-only file on (fsync always), so
 * that a {@link #restart()} keeps every acknowledged write. Never skips: without the binary it fails and says how to
 * install it.
 */
public final class RedisServer implements AutoCloseable {

    public static final String PATH_VARIABLE = "REDIS_SERVER_PATH";
    private static final Path DEBIAN_REDIS = Paths.get("/usr/bin/redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final boolean appendOnly;
    private final int port;
    private Process process;

    private RedisServer(boolean appendOnly) {
        this.binary = binary();
        this.appendOnly = appendOnly;
        try {
            this.dir = Files.createTempDirectory("redis-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.port = freePort();
    }

    /** A Redis without persistence (nothing written to disk), started and answering PING. */
    public static RedisServer start() {
        RedisServer redis = new RedisServer(false);
        redis.launch();
        return redis;
    }

    /** A Redis that writes every command to its append-only file before it answers, started and answering PING. */
    public static RedisServer withAppendOnly() {
        RedisServer redis = new RedisServer(true);
        redis.launch();
        return redis;
    }

    public int port() {
        return port;
    }

    /** The value for {@code quarkus.redis.hosts}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (SIGTERM, as a service manager would) and starts it again on the same port and files. */
    public void restart() {
        stopProcess();
        launch();
    }

    /** Stops the server (SIGTERM) and leaves it stopped, until {@link #startAgain()}: Redis gone for a while. */
    public void stop() {
        stopProcess();
    }

    /** Starts a {@link #stop() stopped} server again, on the same port and files. */
    public void startAgain() {
        launch();
    }

    /** Runs one command and returns the reply as redis-cli prints it (RESP read by the test, not by the app). */
    public String command(String... args) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("Redis on port " + port + " did not answer " + args[0], e);
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--daemonize", "no", "--protected-mode", "yes"));
        if (appendOnly) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + binary, e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log());
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT + ": " + log());
            }
            sleep(50);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', ':' -> {
                return rest;
            }
            case '-' -> {
                return "(error) " + rest;
            }
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return "(nil)";
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(rest);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(readReply(in));
                }
                return items.toString();
            }
            default -> throw new IOException("unexpected reply: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\r') {
                in.read(); // '\n'
                return line.toString();
            }
            line.append((char) b);
        }
        throw new IOException("connection closed");
    }

    private static Path binary() {
        String configured = System.getenv(PATH_VARIABLE);
        Path path = configured != null && !configured.isBlank() ? Paths.get(configured) : DEBIAN_REDIS;
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("No redis-server at " + path + ": install redis-server: "
                    + "apt-get install redis-server (or set " + PATH_VARIABLE + " to a redis-server binary)");
        }
        return path;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: with appendonly, Redis flushes and exits cleanly
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopProcess();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans it up eventually
        }
    }
}
