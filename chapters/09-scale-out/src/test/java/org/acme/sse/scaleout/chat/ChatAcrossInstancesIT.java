package org.acme.sse.scaleout.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.scaleout.TwoInstances;
import org.acme.sse.testing.PackagedApp;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two real instances and a real Redis: an answer generated on A is followed from B, and resumed there. */
class ChatAcrossInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ANSWER_ID = Pattern.compile("\"answerId\":\"([0-9a-f-]{36})\"");
    private static final Pattern NUMBER = Pattern.compile("\"%s\":(\\d+)");

    static TwoInstances instances;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        instances = new TwoInstances(Map.of());
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void anAnswerStartedOnAIsFollowedToTheEndOnBEveryChunkOnceInOrder() {
        String answerId = start(instances.a, "from A to B");
        try (RawHttpStream onB = RawHttpStream.get(stream(instances.b, answerId))) {
            AnswerEvents events = AnswerEvents.parse(onB.awaitEnd(WAIT));
            assertThat(events.events().get(0).data()).isEqualTo("{\"instance\":\"B\"}");
            assertThat(events.ofType("started").get(0).data()).contains("\"instance\":\"A\"");
            assertThat(events.text()).isEqualTo(OfflineAnswerGenerator.answer("from A to B"));
            assertThat(events.chunkIds()).hasSize(OfflineAnswerGenerator.tokens("from A to B").size())
                    .doesNotHaveDuplicates();
            assertThat(events.lastType()).isEqualTo("done");
            assertThat(events.ofType("done").get(0).data()).contains("\"by\":\"A\"");
        }
    }

    @Test
    void aReconnectToTheOtherInstanceMidAnswerResumesAfterItsLastEventId() {
        String answerId = start(instances.a, "switch");
        AnswerEvents firstPart;
        try (RawHttpStream onA = RawHttpStream.get(stream(instances.a, answerId))) {
            firstPart = AnswerEvents.parse(onA.awaitBody(body -> AnswerEvents.parse(body).chunkIds().size() >= 5, WAIT));
        }
        String lastSeen = firstPart.chunkIds().get(firstPart.chunkIds().size() - 1);
        try (RawHttpStream onB = RawHttpStream.get(stream(instances.b, answerId), "Last-Event-ID", lastSeen)) {
            AnswerEvents rest = AnswerEvents.parse(onB.awaitEnd(WAIT));
            assertThat(rest.lastType()).isEqualTo("done");
            assertThat(firstPart.text() + rest.text()).isEqualTo(OfflineAnswerGenerator.answer("switch"));
            assertThat(rest.chunkIds()).doesNotContainAnyElementsOf(firstPart.chunkIds());
        }
    }

    @Test
    void aClientThatLeavesDoesNotStopTheAnswer() {
        String answerId = start(instances.a, "leave");
        try (RawHttpStream onB = RawHttpStream.get(stream(instances.b, answerId))) {
            onB.awaitBody(body -> AnswerEvents.parse(body).chunkIds().size() >= 2, WAIT);
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> activity(instances.b, "following") == 0);
        try (RawHttpStream again = RawHttpStream.get(stream(instances.a, answerId))) {
            AnswerEvents events = AnswerEvents.parse(again.awaitEnd(WAIT));
            assertThat(events.lastType()).isEqualTo("done");
            assertThat(events.text()).isEqualTo(OfflineAnswerGenerator.answer("leave"));
        }
    }

    @Test
    void anUnknownAnswerIs404OnEveryInstance() throws Exception {
        String unknown = "00000000-0000-0000-0000-000000000000";
        for (PackagedApp instance : new PackagedApp[] { instances.a, instances.b }) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stream(instance, unknown)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    static String start(PackagedApp instance, String prompt) {
        Matcher matcher = ANSWER_ID.matcher(post(instance.uri("/chat"), "{\"prompt\":\"" + prompt + "\"}"));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    static java.net.URI stream(PackagedApp instance, String answerId) {
        return instance.uri("/chat/" + answerId + "/stream");
    }

    static int activity(PackagedApp instance, String what) {
        try {
            String body = http.send(HttpRequest.newBuilder(instance.uri("/chat/activity")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = Pattern.compile(NUMBER.pattern().formatted(what)).matcher(body);
            assertThat(matcher.find()).as(body).isTrue();
            return Integer.parseInt(matcher.group(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String post(java.net.URI uri, String json) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri);
            if (json == null) {
                request.POST(HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
