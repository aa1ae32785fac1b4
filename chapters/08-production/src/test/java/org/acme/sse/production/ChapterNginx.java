package org.acme.sse.production;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.acme.sse.testing.SelfSignedCertificate;

/** The chapter's nginx.conf, filled in for a test: Quarkus's test port, two free ports, a fresh certificate. */
final class ChapterNginx {

    static final Path TEMPLATE = Path.of("nginx.conf");
    static final String HTTP = "HTTP_PORT";
    static final String HTTPS = "HTTPS_PORT";

    private static SelfSignedCertificate certificate;

    private ChapterNginx() {
    }

    /** The shipped configuration in front of the Quarkus app that serves {@code quarkus}; variants via replace(). */
    static Nginx.Builder shipped(URL quarkus) {
        Nginx.Builder nginx = Nginx.fromTemplate(TEMPLATE)
                .set("QUARKUS", "127.0.0.1:" + quarkus.getPort())
                .freePort(HTTP)
                .freePort(HTTPS);
        try {
            SelfSignedCertificate cert = certificate();
            Files.copy(cert.certificate(), nginx.prefix().resolve("cert.pem"));
            Files.copy(cert.privateKey(), nginx.prefix().resolve("key.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nginx;
    }

    /**
     * One short stream straight from Quarkus, so that a measurement does not include the first request's warm-up
     * of a fresh JVM (over a second on a busy machine).
     */
    static void warmUp(URL quarkus, String... headerNamesAndValues) {
        try (RawHttpStream stream = RawHttpStream.get(
                URI.create("http://127.0.0.1:" + quarkus.getPort() + "/sse?count=1&intervalMs=10&keepAliveMs=0"),
                headerNamesAndValues)) {
            stream.awaitEnd(Duration.ofSeconds(30));
        }
    }

    /** One certificate per test run: making an RSA key takes a moment. */
    private static synchronized SelfSignedCertificate certificate() throws IOException {
        if (certificate == null) {
            Path dir = Files.createTempDirectory("chapter-08-cert-");
            dir.toFile().deleteOnExit();
            certificate = SelfSignedCertificate.generate(dir);
            certificate.certificate().toFile().deleteOnExit();
            certificate.privateKey().toFile().deleteOnExit();
        }
        return certificate;
    }
}
