package org.acme.sse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test support's nginx: filled in from a template, serving on its free port, and stopped after. */
class NginxTest {

    static final String TEMPLATE = """
            pid nginx.pid;
            error_log stderr notice;
            events {}
            http {
                client_body_temp_path tmp/client_body;
                proxy_temp_path tmp/proxy;
                fastcgi_temp_path tmp/fastcgi;
                uwsgi_temp_path tmp/uwsgi;
                scgi_temp_path tmp/scgi;
                access_log access.log;
                server {
                    listen 127.0.0.1:${PORT};
                    location / { return 200 "${GREETING}"; }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void servesFromTheFilledInTemplateAndStopsOnClose() throws Exception {
        Path template = write(TEMPLATE);
        int port;
        try (Nginx nginx = Nginx.fromTemplate(template).freePort("PORT").set("GREETING", "hello")
                .replace("return 200", "return 201").start()) {
            port = nginx.port("PORT");
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(nginx.uri("PORT", "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode());
            assertEquals("hello", response.body());
            assertTrue(nginx.read("access.log").contains("\"GET / HTTP/1.1\" 201"));
        }
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()), "nginx still answers after close()");
    }

    @Test
    void aPlaceholderLeftUnfilledFailsTheTest() throws IOException {
        Path template = write(TEMPLATE);
        AssertionError error = assertThrows(AssertionError.class,
                () -> Nginx.fromTemplate(template).freePort("PORT").start().close());
        assertTrue(error.getMessage().contains("${GREETING}"), error.getMessage());
    }

    @Test
    void aVariantOfALineThatIsNotThereFailsTheTest() throws IOException {
        Path template = write(TEMPLATE);
        AssertionError error = assertThrows(AssertionError.class, () -> Nginx.fromTemplate(template)
                .freePort("PORT").set("GREETING", "hello").replace("proxy_buffering off;", "proxy_buffering on;")
                .start().close());
        assertTrue(error.getMessage().contains("no longer contains \"proxy_buffering off;\""), error.getMessage());
    }

    @Test
    void aConfigurationNginxRejectsFailsWithItsMessage() throws IOException {
        Path template = write(TEMPLATE.replace("events {}", "events {} no_such_directive on;"));
        AssertionError error = assertThrows(AssertionError.class,
                () -> Nginx.fromTemplate(template).freePort("PORT").set("GREETING", "hello").start().close());
        assertTrue(error.getMessage().contains("no_such_directive"), error.getMessage());
        assertFalse(error.getMessage().isBlank());
    }

    private Path write(String text) throws IOException {
        Path template = dir.resolve("nginx.conf");
        Files.writeString(template, text);
        return template;
    }
}
