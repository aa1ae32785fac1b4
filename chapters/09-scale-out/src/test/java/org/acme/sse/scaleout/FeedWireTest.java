package org.acme.sse.scaleout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** One instance and a real Redis: POST /messages, GET /feed, Last-Event-ID, the window, bad input. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class FeedWireTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern ID_LINE = Pattern.compile("(?m)^id: (\\d+-\\d+)$");

    @TestHTTPResource("/feed")
    URL feed;

    @TestHTTPResource("/")
    URL root;

    private String post(String text) {
        return given().contentType(ContentType.JSON).body("{\"text\":\"" + text + "\"}")
                .when().post("/messages")
                .then().statusCode(200).body("id", matchesPattern("\\d+-\\d+"))
                .extract().path("id");
    }

    private URI feedUri() {
        return URI.create(feed.toString());
    }

    private static List<String> messageIds(String body) {
        List<String> ids = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.contains("event:")) {
                continue; // joined, reset: not messages
            }
            Matcher matcher = ID_LINE.matcher(block);
            if (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    @Test
    void servesThePageAtTheRoot() {
        given().when().get("/").then().statusCode(200).contentType("text/html").body(containsString("Switch instance"));
    }

    @Test
    void postAnswersWithTheEntryIdOnceRedisHasIt() {
        String id = post("hello");
        assertThat(RedisTestResource.redis.command("XRANGE", "feed", id, id)).contains("hello");
    }

    @Test
    void aNewSubscriberGetsMessagesPostedAfterItJoined() {
        post("before");
        try (RawHttpStream stream = RawHttpStream.get(feedUri())) {
            stream.awaitBodyContaining("event: joined", WAIT);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            String id = post("after-joining");
            String body = stream.awaitBodyContaining("\"text\":\"after-joining\"", WAIT);
            assertThat(body).doesNotContain("\"text\":\"before\"");
            assertThat(messageIds(body)).containsExactly(id);
        }
    }

    @Test
    void resumesAfterLastEventIdExclusiveThenFollowsLive() {
        String first = post("r1");
        String second = post("r2");
        String third = post("r3");
        try (RawHttpStream stream = RawHttpStream.get(feedUri(), "Last-Event-ID", first)) {
            stream.awaitBodyContaining("\"text\":\"r3\"", WAIT);
            String fourth = post("r4");
            String body = stream.awaitBodyContaining("\"text\":\"r4\"", WAIT);
            assertThat(body).doesNotContain("event: reset");
            assertThat(messageIds(body)).containsSubsequence(second, third, fourth).doesNotContain(first);
            assertThat(messageIds(body)).doesNotHaveDuplicates();
        }
    }

    @Test
    void anIdleFeedSendsACommentSoThatProxiesKeepTheConnection() {
        try (RawHttpStream stream = RawHttpStream.get(feedUri())) {
            stream.awaitBodyContaining("event: joined", WAIT);
            stream.awaitBodyContaining("\n: keep-alive\n", WAIT); // %test.feed.keep-alive=1s
        }
    }

    @Test
    void aNewConnectionCanResumeWithAfterAndTheHeaderWins() {
        String first = post("q1");
        String second = post("q2");
        String third = post("q3");
        try (RawHttpStream byQuery = RawHttpStream.get(URI.create(feed + "?after=" + first))) {
            assertThat(messageIds(byQuery.awaitBodyContaining("\"text\":\"q3\"", WAIT))).containsExactly(second, third);
        }
        try (RawHttpStream both = RawHttpStream.get(URI.create(feed + "?after=" + first), "Last-Event-ID", second)) {
            assertThat(messageIds(both.awaitBodyContaining("\"text\":\"q3\"", WAIT))).containsExactly(third);
        }
        given().queryParam("after", "nope").when().get("/feed")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("after"));
    }

    @Test
    void anIdOlderThanTheWindowGetsAResetThatSaysWhatWasMissed() {
        String old = post("soon trimmed");
        post("also trimmed");
        String kept = post("kept");
        RedisTestResource.redis.command("XTRIM", "feed", "MAXLEN", "1"); // as XADD ... MAXLEN ~ n does, sooner
        try (RawHttpStream stream = RawHttpStream.get(feedUri(), "Last-Event-ID", old)) {
            String body = stream.awaitBodyContaining("\"text\":\"kept\"", WAIT);
            assertThat(body).contains("event: reset")
                    .contains("\"reason\":\"trimmed\"")
                    .contains("\"lastEventId\":\"" + old + "\"")
                    .contains("\"firstKept\":\"" + kept + "\"");
            assertThat(body.indexOf("event: reset")).isLessThan(body.indexOf("\"text\":\"kept\""));
        }
    }

    @Test
    void anIdTheFeedNeverIssuedGetsAResetThenWhatTheFeedKeepsThenTheLiveOnes() {
        String retained = post("something");
        try (RawHttpStream stream = RawHttpStream.get(feedUri(), "Last-Event-ID", "99999999999999-0")) {
            String body = stream.awaitBodyContaining("\"text\":\"something\"", WAIT);
            assertThat(body).contains("\"reason\":\"unknown\"").contains("99999999999999-0");
            assertThat(body.indexOf("event: reset")).isLessThan(body.indexOf("\"text\":\"something\""));
            // Every id the feed has is "before" the client's: none of them may be taken for one it already has.
            String live = post("after the reset");
            body = stream.awaitBodyContaining("\"text\":\"after the reset\"", WAIT);
            assertThat(messageIds(body)).containsSubsequence(retained, live).doesNotHaveDuplicates();
        }
    }

    @Test
    void answers400ForAMalformedLastEventId() {
        for (String bad : List.of("abc", "12", "1-2-3", "-1-0", "18446744073709551616-0")) {
            given().header("Last-Event-ID", bad)
                    .when().get("/feed")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400)).body("detail", containsString("Last-Event-ID"));
        }
    }

    @Test
    void headAnswersWhatAGetWouldAndStartsNoStream() {
        await().atMost(WAIT).until(() -> localSubscribers() == 0);
        given().when().head("/feed")
                .then().statusCode(200).contentType(startsWith("text/event-stream")).header("Cache-Control", "no-store");
        assertThat(localSubscribers()).isZero();
        given().header("Last-Event-ID", "abc").when().head("/feed").then().statusCode(400);
    }

    @Test
    void answers400ForABadBody() {
        for (String bad : List.of("", "not json", "[]", "{}", "{\"text\":3}", "{\"text\":\"  \"}", "{\"text\":\"a\"} x")) {
            given().contentType(ContentType.JSON).body(bad)
                    .when().post("/messages")
                    .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        }
        given().contentType(ContentType.JSON).body("{\"text\":\"" + "x".repeat(1001) + "\"}")
                .when().post("/messages")
                .then().statusCode(400).body("detail", containsString("1000"));
    }

    @Test
    void answers413ForABodyOverTheLimit() {
        given().contentType(ContentType.JSON).body("{\"text\":\"" + "x".repeat(20_000) + "\"}")
                .when().post("/messages")
                .then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
    }

    @Test
    void answers415ForAnotherContentType() {
        given().contentType(ContentType.TEXT).body("hello")
                .when().post("/messages")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void aClientThatLeavesStopsItsSubscriptionWithinASecond() {
        await().atMost(WAIT).until(() -> localSubscribers() == 0); // no stream left over from another test
        RawHttpStream stream = RawHttpStream.get(feedUri());
        stream.awaitBodyContaining("event: joined", WAIT);
        assertThat(localSubscribers()).isEqualTo(1);

        stream.close();

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> localSubscribers() == 0);
    }

    @Test
    void aBurstOfSubscribersJoiningAtOnceAllGetTheFeed() {
        // An instance that goes away sends all its browsers to the others at once, and each join asks Redis for the
        // window and the replay: they must wait for a pooled connection, not fail.
        await().atMost(WAIT).until(() -> localSubscribers() == 0);
        List<RawHttpStream> burst = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                burst.add(RawHttpStream.get(feedUri()));
            }
            for (RawHttpStream stream : burst) {
                stream.awaitBodyContaining("event: joined", WAIT);
            }
            post("after-the-burst");
            for (RawHttpStream stream : burst) {
                stream.awaitBodyContaining("\"text\":\"after-the-burst\"", WAIT);
            }
        } finally {
            burst.forEach(RawHttpStream::close);
        }
    }

    private int localSubscribers() {
        return given().when().get("/subscribers").then().statusCode(200).extract().path("local");
    }
}
