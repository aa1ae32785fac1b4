package org.acme.sse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    @TempDir
    Path dir;

    @Test
    void aCertificateForLocalhostAndItsUnencryptedKey() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate(dir);
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(generated.certificate())) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        certificate.checkValidity();
        certificate.verify(certificate.getPublicKey()); // self-signed: signed by its own key
        List<String> names = certificate.getSubjectAlternativeNames().stream()
                .map(name -> String.valueOf(name.get(1))).collect(Collectors.toList());
        assertEquals(List.of("localhost", "127.0.0.1"), names);
        assertTrue(Files.readString(generated.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----"),
                "an unencrypted PKCS#8 key, as nginx reads it without a passphrase");
    }
}
