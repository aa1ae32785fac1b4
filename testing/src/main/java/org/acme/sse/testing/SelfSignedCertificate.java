package org.acme.sse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the test when it runs (never a
 * private key committed to the repository), with Debian's {@code openssl}: {@code cert.pem} and {@code key.pem}
 * (unencrypted PEM, as nginx reads them), valid for two days. Browsers must be told to accept it:
 * {@link Chromium#newPageIgnoringCertificateErrors()}.
 */
public record SelfSignedCertificate(Path certificate, Path privateKey) {

    private static final Path OPENSSL = Paths.get("/usr/bin/openssl");

    /** Writes {@code cert.pem} and {@code key.pem} into {@code directory}. */
    public static SelfSignedCertificate generate(Path directory) {
        if (!Files.isExecutable(OPENSSL)) {
            throw new AssertionError("No openssl at " + OPENSSL + ": install it: apt-get install openssl");
        }
        Path certificate = directory.resolve("cert.pem");
        Path key = directory.resolve("key.pem");
        Path output = directory.resolve("openssl.out");
        List<String> command = List.of(OPENSSL.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", certificate.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError("openssl could not make a certificate: " + String.join(" ", command) + "\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError("could not run openssl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new SelfSignedCertificate(certificate, key);
    }
}
