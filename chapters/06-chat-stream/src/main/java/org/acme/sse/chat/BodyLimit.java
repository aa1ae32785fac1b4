package org.acme.sse.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size} gets a 413 in the API's shape, so that an OpenAI
 * SDK shows a message: Quarkus's own check of that limit answers a bare 413 with no body, and this route comes
 * one step before it. A body whose Content-Length says so is refused before it is read; one with no length
 * (chunked, or an HTTP/2 stream) as soon as it passes the limit.
 */
@ApplicationScoped
public class BodyLimit {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        BodyHandler unannouncedBodies = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue());
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> {
                    HttpServerRequest request = context.request();
                    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null) {
                        if (length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBodySize.asLongValue()) {
                            context.fail(413);
                        } else {
                            context.next();
                        }
                    } else if (hasUnannouncedBody(request)) {
                        unannouncedBodies.handle(context);
                    } else {
                        context.next();
                    }
                })
                .handler(context -> {
                    // Quarkus REST takes a body read here as the request's body, but an empty one it waits for.
                    if (hasUnannouncedBody(context.request()) && context.body().length() <= 0) {
                        context.fail(400);
                    } else {
                        context.next();
                    }
                })
                .failureHandler(this::apiError);
    }

    /**
     * A POST body with no length announced: chunked, or an HTTP/2 stream. An HTTP/1.1 request with neither
     * Content-Length nor Transfer-Encoding has no body at all (RFC 9112, section 6.3): Quarkus REST reads that one.
     */
    private static boolean hasUnannouncedBody(HttpServerRequest request) {
        return request.method() == HttpMethod.POST && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || request.version() == HttpVersion.HTTP_2);
    }

    private void apiError(RoutingContext context) {
        String message = switch (context.statusCode()) {
            case 413 -> "the body must not be larger than " + maxBodySize.asLongValue() + " bytes";
            case 400 -> "the body must be a JSON object";
            default -> null; // not ours: Quarkus's own failure handling
        };
        if (message == null) {
            context.next();
            return;
        }
        ApiException error = new ApiException(context.statusCode(), ApiException.INVALID_REQUEST, null, null, message,
                null);
        HttpServerResponse response = context.response().setStatusCode(context.statusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (context.request().version() == HttpVersion.HTTP_2) {
            // HTTP/2 forbids a Connection header (RFC 9113, section 8.2.2): the answer ends this stream only.
            response.end(toJson(error.body()));
            return;
        }
        // The rest of the body may still be on its way: close the connection once the answer is out, rather
        // than read it only to throw it away.
        HttpConnection connection = context.request().connection();
        response.putHeader(HttpHeaders.CONNECTION, "close")
                .end(toJson(error.body()))
                .onComplete(done -> connection.close());
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
