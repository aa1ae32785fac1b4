package org.acme.sse.fetchstreaming;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** POST /fetch-sse and /fetch-raw on the wire: the stream, bad input, and CORS. */
@QuarkusTest
class FetchStreamWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String CHINESE = "你好，流式世界";

    @TestHTTPResource("/fetch-sse")
    URI fetchSse;

    @TestHTTPResource("/fetch-raw")
    URI fetchRaw;

    private static byte[] json(String content) {
        return ("{\"content\":\"" + content + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answersAPostWithNamedTicksCarryingTheContentAndTheRequestIdThenDone() {
        try (RawHttpStream stream = RawHttpStream.send("POST", URI.create(fetchSse + "?count=2&intervalMs=10"),
                json(CHINESE), "Content-Type", "application/json", "X-Request-Id", "req-42")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            String data = "data:\\{\"id\":%d,\"time\":\"[^\"]+\",\"content\":\"" + CHINESE + "\",\"requestId\":\"req-42\"\\}\\n\\n";
            assertThat(stream.awaitEnd(TIMEOUT)).matches("id:0\\nevent:tick\\n" + String.format(data, 0)
                    + "id:1\\nevent:tick\\n" + String.format(data, 1) + "event:done\\ndata:\\{\"lastId\":1\\}\\n\\n");
        }
    }

    @Test
    void readsAMultiByteBodyThatArrivesInPiecesSplitInsideACharacter() {
        // The seed's server appends each chunk of the request to a string: a chunk boundary inside a
        // character corrupts it. Here the whole body is read as bytes, then decoded once.
        byte[] body = json(CHINESE);
        List<byte[]> pieces = List.of(Arrays.copyOfRange(body, 0, 14), Arrays.copyOfRange(body, 14, 17),
                Arrays.copyOfRange(body, 17, body.length)); // 14 and 17 fall inside 你 and 好 (3 bytes each)
        try (RawHttpStream stream = RawHttpStream.sendChunked("POST", URI.create(fetchSse + "?count=1&intervalMs=10"),
                pieces, "Content-Type", "application/json")) {
            assertThat(stream.awaitEnd(TIMEOUT)).contains("\"content\":\"" + CHINESE + "\"").doesNotContain("\uFFFD");
        }
    }

    @Test
    void theNaiveEndpointSendsBareJsonObjectsBackToBack() {
        try (RawHttpStream stream = RawHttpStream.send("POST", URI.create(fetchRaw + "?count=3&intervalMs=10"),
                json("x"), "Content-Type", "application/json")) {
            assertThat(stream.awaitEnd(TIMEOUT))
                    .matches("\\{\"id\":0,[^}]*\\}\\{\"id\":1,[^}]*\\}\\{\"id\":2,[^}]*\\}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "malformed JSON       | application/json | `{\"content\":`       | 400 | not valid JSON",
            "two JSON documents   | application/json | `{\"content\":\"a\"}{\"content\":\"b\"}` | 400 | not valid JSON",
            "trailing garbage     | application/json | `{\"content\":\"a\"} x` | 400 | not valid JSON",
            "no content           | application/json | `{}`                 | 400 | string \"content\"",
            "content not a string | application/json | `{\"content\":5}`    | 400 | string \"content\"",
            "not an object        | application/json | `[1]`                | 400 | string \"content\"",
            "empty body           | application/json | ``                   | 400 | string \"content\"",
            "text/plain           | text/plain       | `{\"content\":\"x\"}` | 415 | content-type",
            "form data            | application/x-www-form-urlencoded | `content=x` | 415 | content-type",
    })
    void answersBadInputWithAProblemAndNoStream(String name, String contentType, String body, int status, String detail) {
        given().contentType(contentType).body(body)
                .when().post(fetchSse)
                .then().statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("detail", containsStringIgnoringCase(detail));
    }

    @Test
    void answers400ForABodyThatIsNotUtf8() {
        byte[] latin1 = "{\"content\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1); // é as the lone byte 0xE9
        try (RawHttpStream stream = RawHttpStream.send("POST", fetchSse, latin1, "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(400);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("not valid JSON");
        }
    }

    @Test
    void answers413ForABodyOver64KiB() {
        byte[] big = json("a".repeat(64 * 1024));
        given().contentType("application/json").body(big)
                .when().post(fetchSse)
                .then().statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("65536 bytes"));
    }

    @Test
    void answers400ForAnEmptyChunkedBody() {
        try (RawHttpStream stream = RawHttpStream.sendChunked("POST", fetchSse, List.of(), "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(400);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("string \\\"content\\\"");
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "/fetch-sse/", "/fetch-sse;v=1", "/fetch-raw" })
    void answers400ForAnEmptyChunkedBodyWhicheverWayThePathIsWritten(String path) {
        try (RawHttpStream stream = RawHttpStream.sendChunked("POST", fetchSse.resolve(path), List.of(),
                "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(400);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("\"status\":400");
        }
    }

    @Test
    void answers400ForAPostWithNoBodyAtAll() {
        // No Content-Length and no Transfer-Encoding: an HTTP/1.1 request with no body at all.
        try (RawHttpStream stream = RawHttpStream.send("POST", fetchSse, null, "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(400);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("string \\\"content\\\"");
        }
    }

    @Test
    void answers413WithCorsHeadersSoThatAPageOnTheAllowedOriginCanReadTheProblem() {
        given().contentType("application/json").header("Origin", "http://127.0.0.1:5173")
                .body(json("a".repeat(64 * 1024)))
                .when().post(fetchSse)
                .then().statusCode(413)
                .header("Access-Control-Allow-Origin", "http://127.0.0.1:5173")
                .body("status", equalTo(413));
    }

    @Test
    void answers413ForAChunkedBodyOver64KiB() {
        byte[] big = json("a".repeat(64 * 1024));
        List<byte[]> pieces = List.of(Arrays.copyOfRange(big, 0, 40_000), Arrays.copyOfRange(big, 40_000, big.length));
        try (RawHttpStream stream = RawHttpStream.sendChunked("POST", fetchSse, pieces, "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(413);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("\"status\":413");
        }
    }

    @Test
    void answers415ForABodyWithNoContentTypeAtAll() {
        try (RawHttpStream stream = RawHttpStream.send("POST", fetchSse, json("x"))) {
            assertThat(stream.status()).isEqualTo(415);
            assertThat(stream.header("Content-Type")).startsWith("application/problem+json");
            assertThat(stream.awaitEnd(TIMEOUT)).contains("\"status\":415").contains("Content-Type: application/json");
        }
    }

    @Test
    void answers415ForAnEmptyContentType() {
        try (RawHttpStream stream = RawHttpStream.send("POST", fetchSse, json("x"), "Content-Type", "")) {
            assertThat(stream.status()).isEqualTo(415);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("\"status\":415");
        }
    }

    @Test
    void aPostWithNoBodyToAnotherPathIsNotTakenForABadPrompt() {
        // No Content-Length and no Transfer-Encoding: an HTTP/1.1 request with no body at all.
        try (RawHttpStream stream = RawHttpStream.send("POST", fetchSse.resolve("/whoami"), null)) {
            assertThat(stream.status()).isEqualTo(405);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("\"status\":405").doesNotContain("content");
        }
        try (RawHttpStream stream = RawHttpStream.send("POST", fetchSse.resolve("/no-such-path"), null)) {
            assertThat(stream.status()).isEqualTo(404);
            assertThat(stream.awaitEnd(TIMEOUT)).contains("\"status\":404");
        }
    }

    @Test
    void answers413WithAProblemForA10MegabyteBodyBeforeReadingIt() throws Exception {
        byte[] body = json("a".repeat(10 * 1024 * 1024));
        String response = sendWhileReading(fetchSse, "Content-Length: " + body.length, List.of(body));
        assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                .contains("\"status\":413").contains("65536 bytes");
    }

    @Test
    void answers413WithAProblemForA10MegabyteChunkedBody() throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        byte[] chunk = ("10000\r\n" + "a".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        chunks.add(("1\r\n{\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 160; i++) { // 160 x 64 KiB = 10 MiB
            chunks.add(chunk);
        }
        chunks.add("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String response = sendWhileReading(fetchSse, "Transfer-Encoding: chunked", chunks);
        assertThat(response).startsWith("HTTP/1.1 413").contains("\"status\":413");
    }

    @Test
    void answersTheBodyLimitsProblemsOverHttp2Too() throws Exception {
        // HTTP/2 forbids a Connection header: an answer carrying one is a PROTOCOL_ERROR to the client.
        assertThat(postOverHttp2(fetchSse, json("a".repeat(64 * 1024)))).startsWith("HTTP_2 413 ").contains("65536 bytes");
        assertThat(postOverHttp2(fetchSse, new byte[0])).startsWith("HTTP_2 400 ").contains("string \\\"content\\\"");
        assertThat(postOverHttp2(fetchSse, json("x"))).startsWith("HTTP_2 200 ").contains("event:done");
    }

    /**
     * Sends a POST with a large body and reads the answer at the same time: a server that refuses the body
     * answers and closes the connection before the client has finished sending, as it should.
     */
    private static String sendWhileReading(URI uri, String framingHeader, List<byte[]> body) throws Exception {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = socket.getInputStream()) {
                    for (int n; (n = in.read(buffer)) != -1;) {
                        synchronized (received) {
                            received.write(buffer, 0, n);
                        }
                    }
                } catch (IOException resetAfterTheAnswer) {
                    // the server closed with body bytes still unread: what it received is in `received`
                }
            });
            reader.start();
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\n" + framingHeader + "\r\n\r\n";
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                for (byte[] piece : body) {
                    out.write(piece);
                }
                out.flush();
            } catch (IOException closedByTheServer) {
                // expected: the server stops reading once it has answered
            }
            reader.join(TIMEOUT.toMillis());
            assertThat(reader.isAlive()).as("the server should answer and close the connection").isFalse();
            synchronized (received) {
                return received.toString(StandardCharsets.UTF_8);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "count=0       | count",
            "count=many    | count",
            "intervalMs=5  | intervalMs",
    })
    void answers400ForABadQueryParameter(String query, String detail) {
        given().contentType("application/json").body(json("x"))
                .when().post(fetchSse + "?" + query)
                .then().statusCode(400).body("detail", containsString(detail));
    }

    @Test
    void answers400ForAnAbsurdRequestId() {
        given().contentType("application/json").header("X-Request-Id", "x".repeat(129)).body(json("x"))
                .when().post(fetchSse)
                .then().statusCode(400).body("detail", containsString("X-Request-Id"));
    }

    @Test
    void answersThePreflightOfTheAllowedOrigin() {
        // Tests allow any http://127.0.0.1:<port> origin; the app's own default is one named origin.
        given().header("Origin", "http://127.0.0.1:5173")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-request-id")
                .when().options(fetchSse)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://127.0.0.1:5173")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("content-type"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("x-request-id"));
    }

    @Test
    void givesAnotherOriginNoAllowOrigin() {
        given().header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-request-id")
                .when().options(fetchSse)
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    /**
     * One POST over HTTP/2 (cleartext, prior knowledge, as curl --http2-prior-knowledge): the status and body, or
     * the failure the client saw, such as a stream reset for a PROTOCOL_ERROR.
     */
    private static String postOverHttp2(URI uri, byte[] body) throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                    .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
            return client.request(io.vertx.core.http.HttpMethod.POST, uri.getPort(), uri.getHost(), uri.getRawPath())
                    // An empty body goes out as no body at all: no Content-Length, END_STREAM on the headers.
                    .compose(request -> body.length == 0 ? request.putHeader("Content-Type", "application/json").send()
                            : request.putHeader("Content-Type", "application/json").send(io.vertx.core.buffer.Buffer.buffer(body)))
                    .compose(response -> response.body().map(answer -> response.version() + " "
                            + response.statusCode() + " " + answer))
                    .otherwise(failure -> "failed: " + failure)
                    .toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

}
